"""Sharing a record: its experimenter (or staff) chooses who sees it: private, facility or public."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.records.models import Record
from lims.records.permissions import visible_records
from lims.sessions.models import Visibility


def can_share(user, record: Record) -> bool:
    """Only the record's experimenter and staff decide who else sees it."""
    return bool(user.is_authenticated and (user.is_staff or record.session.account_id == user.pk))


def set_visibility(record: Record, value: str) -> None:
    """Store the new visibility through save(), so search sees the change at once."""
    session = record.session
    session.visibility = value
    session.save(update_fields=["visibility"])


@login_required
@require_POST
def record_visibility(request, record_id: int):
    """Form on the record page: POST visibility=private|facility|public."""
    record = get_object_or_404(visible_records(request.user).select_related("session"), pk=record_id)
    if not can_share(request.user, record):
        return HttpResponseForbidden("Only the experimenter or staff can change who sees this record.")
    value = request.POST.get("visibility", "")
    if value not in Visibility.values:
        return HttpResponseBadRequest(f"visibility must be one of: {', '.join(Visibility.values)}.")
    set_visibility(record, value)
    messages.success(request, f"This record is now visible to: {Visibility(value).label.lower()}.")
    return redirect("records:detail", record_id=record.pk)


class RecordVisibilityView(APIView):
    """`POST /api/v1/records/<id>/visibility` with {"visibility": "private" | "facility" | "public"}."""

    @extend_schema(
        summary="Change who can see a record (its experimenter or staff)",
        request=inline_serializer("VisibilityRequest", {"visibility": serializers.ChoiceField(Visibility.choices)}),
        responses={200: inline_serializer("VisibilityResponse", {"visibility": serializers.CharField()})},
    )
    def post(self, request, pk: int):
        record = get_object_or_404(visible_records(request.user).select_related("session"), pk=pk)
        if not can_share(request.user, record):
            raise exceptions.PermissionDenied("Only the experimenter or staff can change who sees this record.")
        value = request.data.get("visibility") if isinstance(request.data, dict) else None
        if value not in Visibility.values:
            raise exceptions.ValidationError({"visibility": f"must be one of {', '.join(Visibility.values)}."})
        set_visibility(record, value)
        return Response({"visibility": value})
