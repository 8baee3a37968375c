"""Health endpoint for monitors and compose health checks: cheap, with details for staff only."""
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from lims.core import health
from lims.core.authentication import TokenAuthentication


def _is_staff(request: HttpRequest) -> bool:
    """Staff logged in to the site, or calling with the personal API token of a staff account."""
    try:
        if request.user.is_staff:
            return True
        found = TokenAuthentication().authenticate(Request(request))
    except (APIException, DatabaseError):
        return False
    return bool(found and found[0].is_staff)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503; staff also see each part's state."""
    found = health.check()
    body = {"status": "ok" if found.pop("ok") else "error"}
    if _is_staff(request):
        body.update(found)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
