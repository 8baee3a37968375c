"""Pages of saved searches: the list with a form to save one, and one search with its preview."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lims.searches.forms import SavedSearchForm
from lims.searches.models import SavedSearch
from lims.searches.services import DEFAULT_DAYS, MAX_DAYS, QueryError, preview


def _days(raw) -> int:
    try:
        return min(max(int(raw), 1), MAX_DAYS)
    except (TypeError, ValueError):
        return DEFAULT_DAYS


@login_required
@require_http_methods(["GET", "POST"])
def search_list(request):
    """/searches/: one's saved searches; ?q= fills the form (from the record search page)."""
    form = SavedSearchForm(request.POST or None, owner=request.user,
                           initial={"query": request.GET.get("q", "")})
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.owner = request.user
        saved.save()
        messages.success(request, f"Saved the search “{saved.name}”.")
        return redirect("searches:detail", saved.pk)
    searches = SavedSearch.objects.filter(owner=request.user)
    return render(request, "searches/search_list.html", {"form": form, "searches": searches})


@login_required
def search_detail(request, search_id: int):
    """/searches/<id>/: the query, how many records match now and lately, and the newest of them."""
    saved = get_object_or_404(SavedSearch, pk=search_id, owner=request.user)
    days = _days(request.GET.get("days"))
    try:
        result, error = preview(request.user, saved.query, days), ""
    except QueryError as exc:
        result, error = None, str(exc)
    return render(request, "searches/search_detail.html",
                  {"saved": saved, "preview": result, "error": error, "days": days})


@login_required
@require_POST
def delete_search(request, search_id: int):
    saved = get_object_or_404(SavedSearch, pk=search_id, owner=request.user)
    saved.delete()
    messages.success(request, f"Deleted the saved search “{saved.name}”.")
    return redirect("searches:list")
