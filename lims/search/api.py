"""REST API for search: records with facet counts, completions while typing, and a CSV of the matches."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from lims.records.api import AnyAccept
from lims.records.serializers import RecordSummarySerializer
from lims.search.export import COLUMNS, DEFAULT_COLUMNS, ColumnError, columns_from, csv_download
from lims.search.facets import FACETS, NUMERIC_FACETS
from lims.search.query import MAX_QUERY_LENGTH, QueryError, parse
from lims.search.serializers import CompletionSerializer, RecordSearchResponseSerializer
from lims.search.service import MAX_PAGE_SIZE, PAGE_SIZE, SORTS, search, searching
from lims.search.suggest import complete

FILTER_FIELDS = ("instrument", "user", "project", "format", "mode", "year", "month", "date", "after", "before")
BAD_QUERY = OpenApiResponse(description='Invalid query: {"detail": "Invalid query: ...", "code": "parse_error"}.')
_Q = OpenApiParameter("q", str, description='Search, e.g. `titan "spectrum image" voltage >= 200 kV user:alice`.')
_FILTERS = [OpenApiParameter(name, str, description=f"Same as `{name}:VALUE` in q (commas: any of several).")
            for name in FILTER_FIELDS]


def _positive(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: f"must be a whole number, not {raw[:20]!r}."})
    if value < 1:
        raise exceptions.ValidationError({name: "must be 1 or more."})
    return value


def query_text(request) -> str:
    """`q` plus the filters given as their own parameters, as one query."""
    q = request.query_params.get("q", "")
    for name in FILTER_FIELDS:
        value = request.query_params.get(name)
        if value:
            q = f'{q} {name}:"{value.replace(chr(34), "")}"' if "," not in value else f"{q} {name}:{value}"
    return q


def _bad_query(exc: QueryError):
    return exceptions.ParseError(f"Invalid query: {exc}")


class RecordListView(APIView):
    """Search records visible to the caller; the response carries facet counts for the whole match."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="v1_records_list", parameters=[
        _Q, OpenApiParameter("sort", str, enum=list(SORTS), description="date (newest first), oldest or relevance."),
        OpenApiParameter("page", int, description="Page number, from 1."),
        OpenApiParameter("page_size", int, description=f"Records per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE})."),
        *_FILTERS], responses={200: RecordSearchResponseSerializer, 400: BAD_QUERY})
    def get(self, request):
        q = query_text(request)
        sort = request.query_params.get("sort", "date")
        if sort not in SORTS:
            raise exceptions.ValidationError({"sort": f"must be one of {', '.join(SORTS)}."})
        page = _positive(request, "page", 1)
        page_size = min(_positive(request, "page_size", PAGE_SIZE), MAX_PAGE_SIZE)
        try:
            result = search(request.user, q, page=page, page_size=page_size, sort=sort)
        except QueryError as exc:
            raise _bad_query(exc)
        if page > result.pages:
            raise exceptions.NotFound(f"Page {page} is past the last page ({result.pages}).")
        url = request.build_absolute_uri()
        return Response({
            "count": result.total,
            "next": replace_query_param(url, "page", page + 1) if page < result.pages else None,
            "previous": (replace_query_param(url, "page", page - 1) if page > 2 else remove_query_param(url, "page"))
            if page > 1 else None,
            "results": RecordSummarySerializer(result.records, many=True, context={"request": request}).data,
            "facets": {name: [{"value": v, "count": n} for v, n in result.facets.get(name, [])] for name in FACETS},
            "numeric_facets": {
                facet.name: [{"label": b.label, "query": b.query, "count": n}
                             for b, n in zip(facet.buckets, result.buckets[facet.name])]
                for facet in NUMERIC_FACETS},
            "suggestions": result.suggestions,
        })


class CompletionView(APIView):
    """Completions for the last word of a query: field names, metadata names with units, facet values with counts."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="v1_search_complete", parameters=[
        OpenApiParameter("q", str, description="The query as typed so far; the last word is completed.")],
        responses={200: CompletionSerializer(many=True), 400: BAD_QUERY})
    def get(self, request):
        q = request.query_params.get("q", "")
        if len(q) > MAX_QUERY_LENGTH or "\x00" in q:
            raise exceptions.ParseError(f"Invalid query: at most {MAX_QUERY_LENGTH} characters of plain text.")
        with searching(request.user) as searcher:
            return Response(complete(searcher, q))


class RecordExportView(APIView):
    """Every matching record as one CSV row, with the chosen columns."""

    permission_classes = [AllowAny]
    content_negotiation_class = AnyAccept

    @extend_schema(operation_id="v1_records_export", parameters=[
        _Q, OpenApiParameter("fields", str, description=f"Comma-separated columns of {', '.join(COLUMNS)} "
                                                         f"(default {','.join(DEFAULT_COLUMNS)})."), *_FILTERS],
        responses={(200, "text/csv"): OpenApiTypes.STR, 400: BAD_QUERY})
    def get(self, request):
        q = query_text(request)
        try:
            parse(q)
            columns = columns_from(request.query_params.get("fields", ""))
        except QueryError as exc:
            raise _bad_query(exc)
        except ColumnError as exc:
            raise exceptions.ValidationError({"fields": str(exc)})
        return csv_download(request, q, columns)
