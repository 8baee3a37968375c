"""Instruments API: read-only list (filter by PC hostname) and detail by PID."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from lims.core.authentication import instrument_of
from lims.core.permissions import Scoped
from lims.instruments.models import Instrument
from lims.instruments.serializers import InstrumentSerializer

HOSTNAME_PARAMETER = OpenApiParameter(
    "hostname", OpenApiTypes.STR, description="Only instruments whose PC has this hostname (any case)."
)


@extend_schema_view(
    list=extend_schema(summary="List instruments", parameters=[HOSTNAME_PARAMETER]),
    retrieve=extend_schema(summary="One instrument by PID"),
)
class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Instruments; an instrument token sees only its own."""

    serializer_class = InstrumentSerializer
    permission_classes = [Scoped]
    lookup_field = "pid"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

    def get_queryset(self):
        queryset = Instrument.objects.filter(active=True)
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return queryset
        own = instrument_of(self.request)
        if own is not None:
            queryset = queryset.filter(pk=own.pk)
        hostname = self.request.query_params.get("hostname")
        if hostname:
            queryset = queryset.filter(hostname__iexact=hostname.strip())
        return queryset
