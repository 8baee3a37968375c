"""REST API for saved searches: list, create, change, delete one's own, and preview what one matches."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lims.searches.models import SavedSearch
from lims.searches.permissions import IsPerson
from lims.searches.serializers import PreviewSerializer, SavedSearchSerializer
from lims.searches.services import DEFAULT_DAYS, MAX_DAYS, QueryError, preview


def days_param(raw) -> int:
    """The `days` of a preview: a whole number from 1 to MAX_DAYS (default DEFAULT_DAYS)."""
    if raw in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({"days": f"must be a whole number, not {str(raw)[:20]!r}."})
    if not 1 <= days <= MAX_DAYS:
        raise exceptions.ValidationError({"days": f"must be from 1 to {MAX_DAYS}."})
    return days


class SavedSearchViewSet(viewsets.ModelViewSet):
    """The caller's saved searches (another person's answer 404)."""

    permission_classes = [IsPerson]
    serializer_class = SavedSearchSerializer
    queryset = SavedSearch.objects.all()  # narrowed to the caller's own in get_queryset

    def get_queryset(self):
        return SavedSearch.objects.filter(owner=self.request.user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(parameters=[OpenApiParameter("days", int, description=f"The recent window (default {DEFAULT_DAYS}).")],
                   responses={200: PreviewSerializer})
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """The records the search matches now, and how many of them are of the last `days` days."""
        saved = self.get_object()
        try:
            result = preview(request.user, saved.query, days_param(request.query_params.get("days")))
        except QueryError as exc:
            raise exceptions.ParseError(f"Invalid query: {exc}")
        return Response(PreviewSerializer(result, context={"request": request}).data)
