"""The administrator's overview at /manage/ (staff only) and its one action, rebuilding a session's record."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lims.operations.overview import overview as overview_facts
from lims.sessions.builds import queue_build
from lims.sessions.models import Session


def _staff_only(view):
    """People who are not logged in are sent to log in; logged-in people who are not staff get 403."""

    @wraps(view)
    @login_required
    def checked(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("The overview is for the facility's staff.")
        return view(request, *args, **kwargs)

    return checked


@require_GET
@never_cache
@_staff_only
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "operations/overview.html", overview_facts())


@require_POST
@_staff_only
def rebuild(request: HttpRequest, session_id) -> HttpResponse:
    session = get_object_or_404(Session, pk=session_id)
    if queue_build(session, rebuild=True):
        messages.success(request, f"The record of {session} is being rebuilt.")
    else:
        messages.error(request, f"{session} cannot be rebuilt now: it is {session.state.lower()}.")
    return redirect("operations:overview")
