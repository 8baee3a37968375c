"""Webhook pages: one's endpoints, a new one with its secret shown once, and an endpoint's delivery log."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lims.webhooks import sending
from lims.webhooks.forms import EndpointForm
from lims.webhooks.models import Endpoint, Message

LOG_PAGE = 25


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request):
    """/webhooks/: one's endpoints; adding one answers with its secret, which is never shown again."""
    form = EndpointForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = form.save(commit=False)
        created.owner = request.user
        created.save()
        form = EndpointForm()
    endpoints = Endpoint.objects.filter(owner=request.user)
    return render(request, "webhooks/endpoint_list.html", {"form": form, "endpoints": endpoints, "created": created})


@login_required
def endpoint_detail(request, endpoint_id: int):
    """/webhooks/<id>/: the endpoint and its messages, newest first, each with its attempts."""
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id, owner=request.user)
    page = Paginator(endpoint.messages.prefetch_related("log"), LOG_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "page": page})


@login_required
@require_POST
def redeliver(request, endpoint_id: int, message_id: int):
    message = get_object_or_404(Message, pk=message_id, endpoint_id=endpoint_id, endpoint__owner=request.user)
    sending.redeliver(message)
    messages.success(request, f"Message {message.message_id} will be sent again now.")
    return redirect("webhooks:detail", endpoint_id)


@login_required
@require_POST
def enable(request, endpoint_id: int):
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id, owner=request.user)
    sending.enable(endpoint)
    messages.success(request, "The endpoint is enabled again.")
    return redirect("webhooks:detail", endpoint_id)


@login_required
@require_POST
def delete(request, endpoint_id: int):
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id, owner=request.user)
    endpoint.delete()
    messages.success(request, f"Deleted the endpoint {endpoint.url}.")
    return redirect("webhooks:list")
