"""REST API for records: search with facet counts, detail, files, XML and the streamed ZIP."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from lims.core.pagination import Pagination
from lims.records import downloads
from lims.records.permissions import visible_records
from lims.records.query import QueryError
from lims.records.search import FACETS, MAX_PAGE_SIZE, PAGE_SIZE, SORTS, search
from lims.records.serializers import (
    RecordFileSerializer,
    RecordDetailSerializer,
    RecordSearchResponseSerializer,
    RecordSummarySerializer,
)
from lims.sessions.models import DataFile

FILTER_FIELDS = {"instrument": "instrument", "user": "user", "project": "project", "format": "format",
                 "mode": "mode", "year": "year", "month": "month"}
NOT_FOUND = OpenApiResponse(description="No such record, or not visible to the caller.")

_SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description='Search, e.g. `titan "spectrum image" voltage >= 200 kV user:alice`.'),
    OpenApiParameter("sort", str, enum=list(SORTS), description="date (newest first), oldest or relevance."),
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description=f"Records per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE})."),
    *[OpenApiParameter(name, str, description=f"Same as `{field}:VALUE` in q.")
      for name, field in FILTER_FIELDS.items()],
]


def _positive(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: f"must be a whole number, not {raw!r}."})
    if value < 1:
        raise exceptions.ValidationError({name: "must be 1 or more."})
    return value


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"'


class RecordListView(APIView):
    """Search records visible to the caller; the response carries facet counts for the whole match."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="v1_records_list", parameters=_SEARCH_PARAMETERS,
                   responses={200: RecordSearchResponseSerializer, 400: OpenApiResponse(description="Invalid query.")})
    def get(self, request):
        q = request.query_params.get("q", "")
        for name, field in FILTER_FIELDS.items():
            value = request.query_params.get(name)
            if value:
                q = f"{q} {field}:{_quoted(value)}"
        sort = request.query_params.get("sort", "date")
        if sort not in SORTS:
            raise exceptions.ValidationError({"sort": f"must be one of {', '.join(SORTS)}."})
        page = _positive(request, "page", 1)
        page_size = min(_positive(request, "page_size", PAGE_SIZE), MAX_PAGE_SIZE)
        try:
            result = search(request.user, q, page=page, page_size=page_size, sort=sort)
        except QueryError as exc:
            raise exceptions.ParseError(f"Invalid query: {exc}")
        if page > result.pages:
            raise exceptions.NotFound(f"Page {page} is past the last page ({result.pages}).")
        url = request.build_absolute_uri()
        return Response({
            "count": result.total,
            "next": replace_query_param(url, "page", page + 1) if page < result.pages else None,
            "previous": (replace_query_param(url, "page", page - 1) if page > 2 else remove_query_param(url, "page"))
            if page > 1 else None,
            "results": RecordSummarySerializer(result.records, many=True).data,
            "facets": {name: [{"value": v, "count": n} for v, n in result.facets.get(name, [])] for name in FACETS},
        })


class _AnyAccept(BaseContentNegotiation):
    """File responses are not rendered by DRF, so any Accept header gets the file."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _VisibleRecordMixin:
    permission_classes = [AllowAny]

    def visible_record(self, pk: int, without_xml: bool = False):
        """The record if the caller may see it, else 404; `without_xml` skips reading the (large) XML."""
        records = visible_records(self.request.user).select_related("session__instrument")
        return get_object_or_404(records.defer("xml") if without_xml else records, pk=pk)


class RecordDetailView(_VisibleRecordMixin, APIView):
    """One record with its activities and every file with its metadata."""

    @extend_schema(responses={200: RecordDetailSerializer, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return Response(RecordDetailSerializer(self.visible_record(pk, without_xml=True)).data)


class RecordXmlView(_VisibleRecordMixin, APIView):
    """The record as schema-valid XML."""

    content_negotiation_class = _AnyAccept

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.STR, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return downloads.xml_response(self.visible_record(pk))


class RecordDownloadView(_VisibleRecordMixin, APIView):
    """Every file of the record plus record.xml and record.json, as one streamed ZIP."""

    content_negotiation_class = _AnyAccept

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, pk: int):
        return downloads.zip_response(self.visible_record(pk))


class RecordFilesView(_VisibleRecordMixin, generics.ListAPIView):
    """The record's files with metadata, a page at a time."""

    serializer_class = RecordFileSerializer
    pagination_class = Pagination

    @extend_schema(responses={200: RecordFileSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        record = self.visible_record(self.kwargs["pk"], without_xml=True)
        files = DataFile.objects.filter(session_id=record.session_id)
        return files.order_by("activity", "acquired", "relative_path", "id")
