"""Subscription pages: one's subscriptions with a form, and one with its deliveries and Backfill."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lims.subscriptions import triggers
from lims.subscriptions.forms import SubscriptionForm
from lims.subscriptions.models import Subscription
from lims.subscriptions.tasks import backfill_subscription

DELIVERIES_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request):
    """/subscriptions/: one's subscriptions; ?search=<id> picks the saved search in the form."""
    form = SubscriptionForm(request.POST or None, owner=request.user, initial={"search": request.GET.get("search")})
    if request.method == "POST" and form.is_valid():
        subscription = form.save(commit=False)
        subscription.owner = request.user
        subscription.save()
        messages.success(request, "Subscribed. Past matches are not acted on unless you backfill.")
        return redirect("subscriptions:detail", subscription.pk)
    subscriptions = Subscription.objects.filter(owner=request.user).select_related("search", "endpoint")
    return render(request, "subscriptions/subscription_list.html", {"form": form, "subscriptions": subscriptions})


@login_required
def subscription_detail(request, subscription_id: int):
    subscription = get_object_or_404(Subscription.objects.select_related("search", "endpoint"), pk=subscription_id,
                                     owner=request.user)
    page = Paginator(subscription.deliveries.select_related("record"), DELIVERIES_PAGE).get_page(request.GET.get("page"))
    return render(request, "subscriptions/subscription_detail.html", {"subscription": subscription, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def backfill(request, subscription_id: int):
    """GET: how many past records match, and a button; POST: act on those (in the background)."""
    subscription = get_object_or_404(Subscription.objects.select_related("search"), pk=subscription_id,
                                     owner=request.user)
    if request.method == "POST":
        backfill_subscription.delay(subscription.pk)
        messages.success(request, "Backfill started: past matches are being acted on once each.")
        return redirect("subscriptions:detail", subscription.pk)
    count = len(triggers.backfill_ids(subscription))
    return render(request, "subscriptions/backfill.html", {"subscription": subscription, "count": count})


@login_required
@require_POST
def toggle(request, subscription_id: int):
    subscription = get_object_or_404(Subscription, pk=subscription_id, owner=request.user)
    Subscription.objects.filter(pk=subscription.pk).update(active=not subscription.active)
    return redirect("subscriptions:detail", subscription.pk)


@login_required
@require_POST
def delete(request, subscription_id: int):
    subscription = get_object_or_404(Subscription, pk=subscription_id, owner=request.user)
    subscription.delete()
    messages.success(request, "Subscription deleted.")
    return redirect("subscriptions:list")
