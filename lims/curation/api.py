"""The edit history of a record in the API."""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from lims.core.pagination import Pagination
from lims.curation.models import Edit
from lims.instruments import times
from lims.records.permissions import visible_record_or_404


class EditSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="username")
    at = serializers.SerializerMethodField()

    class Meta:
        model = Edit
        fields = ["id", "user", "at", "action", "target", "before", "after"]

    def get_at(self, edit) -> str:
        return times.iso(edit.at, self.context["zone"])


class RecordHistoryView(generics.ListAPIView):
    """Every edit of a record after its build, newest first: who, when (instrument's UTC offset), what."""

    permission_classes = [AllowAny]
    serializer_class = EditSerializer
    pagination_class = Pagination

    @extend_schema(responses={200: EditSerializer(many=True),
                              404: OpenApiResponse(description="No such record, or not visible to the caller.")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.record = visible_record_or_404(self.request.user, self.kwargs["pk"], without_xml=True)
        return Edit.objects.filter(session_id=self.record.session_id)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "zone": self.record.session.instrument.timezone}
