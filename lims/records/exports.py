"""Record exports in other formats: the NIST "Nexus Experiment" v1.0 document NexusLIMS and CDCS use."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from lims.records.api import AnyAccept
from lims.records.permissions import visible_records


def nexus_response(user, record_id: int) -> HttpResponse:
    """The record as a Nexus Experiment document, if `user` may see it (404 otherwise)."""
    from records.nexus import to_nexus

    from lims.records.pipeline import experiment_for

    record = get_object_or_404(visible_records(user).select_related("session__instrument"), pk=record_id)
    document = to_nexus(experiment_for(record))
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}-nexus.xml"'
    return response


def record_nexus(request, record_id: int) -> HttpResponse:
    """Browser download of /records/<id>/nexus.xml."""
    return nexus_response(request.user, record_id)


class RecordNexusView(APIView):
    """`/api/v1/records/<id>/nexus`: the record as a NIST Nexus Experiment v1.0 document."""

    permission_classes = [AllowAny]  # visibility decides; public records need no login
    content_negotiation_class = AnyAccept

    @extend_schema(summary="Record as a NIST Nexus Experiment v1.0 document",
                   responses={(200, "application/xml"): OpenApiResponse(OpenApiTypes.STR), 404: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        return nexus_response(request.user, pk)
