"""REST API for records: detail, files, XML and the streamed ZIP (search is in `lims.search.api`)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.core.pagination import Pagination
from lims.records import downloads
from lims.records.models import ExtractionResult
from lims.records.permissions import visible_record_or_404
from lims.records.serializers import RecordDetailSerializer, RecordFileSerializer
from lims.sessions.models import DataFile

NOT_FOUND = OpenApiResponse(description="No such record, or not visible to the caller.")


class AnyAccept(BaseContentNegotiation):
    """File responses are not rendered by DRF, so any Accept header gets the file."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _VisibleRecordMixin:
    permission_classes = [AllowAny]

    def visible_record(self, pk: int, without_xml: bool = False):
        """The record if the caller may see it, else 404; `without_xml` skips reading the (large) XML."""
        return visible_record_or_404(self.request.user, pk, without_xml)


class VisibleFileMixin(_VisibleRecordMixin):
    def visible_file(self, pk: int, file_id: int) -> DataFile:
        """A file of a record the caller may see, else 404."""
        record = self.visible_record(pk, without_xml=True)
        return get_object_or_404(DataFile.objects.select_related("session__instrument"), pk=file_id,
                                 session_id=record.session_id)


class RecordDetailView(_VisibleRecordMixin, APIView):
    """One record with its activities and every file with its metadata."""

    @extend_schema(responses={200: RecordDetailSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        record = self.visible_record(pk, without_xml=True)
        return Response(RecordDetailSerializer(record, context={"request": request}).data)


class RecordXmlView(_VisibleRecordMixin, APIView):
    """The record as schema-valid XML."""

    content_negotiation_class = AnyAccept

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return downloads.xml_response(self.visible_record(pk))


class RecordDownloadView(_VisibleRecordMixin, APIView):
    """Every file of the record plus record.xml and record.json, as one streamed ZIP."""

    content_negotiation_class = AnyAccept

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return downloads.zip_response(self.visible_record(pk), request)


class RecordFilesView(_VisibleRecordMixin, generics.ListAPIView):
    """The record's files with metadata, a page at a time."""

    serializer_class = RecordFileSerializer
    pagination_class = Pagination

    @extend_schema(responses={200: RecordFileSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.record = self.visible_record(self.kwargs["pk"], without_xml=True)
        files = DataFile.objects.filter(session_id=self.record.session_id)
        return files.order_by("activity", "acquired", "relative_path", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "record_id": self.record.pk,
                "zone": self.record.session.instrument.timezone}


class RecordFileView(VisibleFileMixin, APIView):
    """One file of a record: its metadata, warnings, error and links (download, preview, vendor tree)."""

    @extend_schema(responses={200: RecordFileSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int, file_id: int):
        data_file = self.visible_file(pk, file_id)
        context = {"request": request, "record_id": pk, "zone": data_file.session.instrument.timezone}
        return Response(RecordFileSerializer(data_file, context=context).data)


class OriginalMetadataView(VisibleFileMixin, APIView):
    """The vendor's full metadata tree of one file, as its reader found it (long arrays summarised)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND})
    def get(self, request, pk: int, file_id: int):
        data_file = self.visible_file(pk, file_id)
        found = (ExtractionResult.objects.filter(sha256=data_file.sha256).order_by("-created")
                 .values_list("original_metadata", flat=True).first())
        if found is None:
            raise exceptions.NotFound("This file has not been read yet.")
        return Response(found)
