"""Record search: `index_record` (re)builds the search rows of a record; `search` runs a query.

Each record has one RecordSearch row (tokens, tsvector, copies of the session's visibility and
account, its facet values and numeric parameters) plus facet and parameter rows. PostgreSQL
matches words with the GIN-indexed tsvector and answers a search in one statement: match once,
count every facet from the matching rows, cut the page. The embedded SQLite backend matches the
same tokens in a space-padded text column and counts facets with one grouped query over the facet
table, so both give the same records and counts.
"""
import math
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, transaction
from django.db.models import BooleanField, Count, F, Q, Value
from django.db.models.expressions import RawSQL

from lims.records.models import Record, RecordFacet, RecordParameter, RecordSearch
from lims.records.permissions import searchable_records, visible_records
from lims.records.query import PARAMETERS, Query, base_value, parse, tokenize_text
from lims.sessions.models import DataFile

FACETS = ("instrument", "experimenter", "project", "year", "month", "format", "mode")
# A filter on the left also matches the hidden facets on the right.
FILTER_FACETS = {"format": ("format", "extension")}
SORTS = ("date", "oldest", "relevance")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000
MAX_FACET_VALUES = 50
# What result cards and the API's record summaries show; the rest of a record is not read.
RESULT_FIELDS = ("title", "data", "file_count", "error_count", "activity_count", "formats", "modes", "session__user",
                 "session__project", "session__sample", "session__start", "session__end", "session__instrument__pid")
TEXT_CONFIG = "simple"
# Metadata strings longer than this are not worth indexing as words.
MAX_INDEXED_STRING = 500


@dataclass
class SearchResult:
    query: Query
    records: list
    total: int
    page: int
    page_size: int
    facets: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _metadata_strings(metadata: dict):
    for value in (metadata or {}).values():
        if isinstance(value, str) and len(value) <= MAX_INDEXED_STRING:
            yield value


def _metadata_numbers(metadata: dict):
    """(key, base value) for every numeric canonical quantity in one file's metadata."""
    for key in PARAMETERS:
        value = (metadata or {}).get(key)
        if isinstance(value, dict) and isinstance(value.get("value"), (int, float)):
            number, unit = value["value"], value.get("unit") or ""
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number, unit = value, ""
        else:
            continue
        try:
            base = base_value(number, unit)
        except Exception:  # noqa: BLE001 - an odd unit in one file must not stop indexing
            base = None
        if base is not None and math.isfinite(base):
            yield key, float(f"{base:.12g}")


def _facet_values(record: Record, files: list) -> set:
    session = record.session
    start = session.start
    values = {
        ("instrument", session.instrument.pid),
        ("experimenter", session.user),
        ("year", f"{start:%Y}"),
        ("month", f"{start:%Y-%m}"),
    }
    if session.project:
        values.add(("project", session.project))
    formats = set(record.formats or []) | {fmt for _, fmt, _ in files if fmt}
    values |= {("format", str(fmt)) for fmt in formats}
    # Extensions are not shown as a facet; they let `format:dm3` find "DigitalMicrograph 3" files.
    values |= {("extension", path.rsplit(".", 1)[1].lower()) for path, _, _ in files if "." in path.rsplit("/", 1)[-1]}
    modes = set(record.modes or []) | {a.get("mode") for a in (record.data or {}).get("activities", [])}
    values |= {("mode", str(mode).lower()) for mode in modes if mode}
    return {(facet, value[:255]) for facet, value in values}


def _words(record: Record, files: list) -> list:
    session = record.session
    parts = [record.title, session.notes, session.sample, session.sample_id, session.project, session.purpose,
             session.user, session.instrument.pid, session.instrument.name]
    if session.account_id:
        parts.append(session.account.username)
    for activity in (record.data or {}).get("activities", []):
        parts.append(activity.get("notes") or "")
    for path, _, metadata in files:
        parts.append(path)
        parts.extend(_metadata_strings(metadata))
    seen, tokens = set(), []
    for token in tokenize_text(" ".join(p for p in parts if p)):
        if token not in seen:
            seen.add(token)
            tokens.append(token)
    return tokens


def _by_key(parameters: set) -> dict:
    grouped = {}
    for key, value in sorted(parameters):
        grouped.setdefault(key, []).append(value)
    return grouped


def _range_on_row(item) -> RawSQL:
    """True when the row's own parameter copy has a value of one of `item.keys` inside the range."""
    tests = [f"@ >= {item.low!r}"] if item.low is not None else []
    tests += [f"@ <= {item.high!r}"] if item.high is not None else []
    condition = " && ".join(tests) or "true"
    paths = " || ".join(f"exists($.{key}[*] ? ({condition}))" for key in item.keys)
    return RawSQL("jsonb_path_match(parameters, %s::jsonpath)", (paths,), output_field=BooleanField())


def index_record(record: Record) -> None:
    """(Re)build the search, facet and parameter rows of `record`; a rebuild replaces them."""
    record = Record.objects.select_related("session__instrument", "session__account").get(pk=record.pk)
    files = DataFile.objects.filter(session_id=record.session_id)
    files = list(files.values_list("relative_path", "format", "metadata"))
    tokens = _words(record, files)
    facets = _facet_values(record, files)
    parameters = {pair for _, _, metadata in files for pair in _metadata_numbers(metadata)}
    text = " " + " ".join(tokens) + " "
    using = record._state.db or "default"
    with transaction.atomic(using=using):
        RecordSearch.objects.using(using).update_or_create(record=record, defaults={
            "start": record.session.start, "text": text, "visibility": record.session.visibility,
            "account_id": record.session.account_id, "facets": sorted(f"{f}:{v}" for f, v in facets),
            "parameters": _by_key(parameters)})
        if connections[using].vendor == "postgresql":
            RecordSearch.objects.using(using).filter(record=record).update(
                vector=SearchVector(Value(" ".join(tokens)), config=TEXT_CONFIG)
            )
        RecordFacet.objects.using(using).filter(record=record).delete()
        RecordFacet.objects.using(using).bulk_create(RecordFacet(record=record, facet=f, value=v) for f, v in facets)
        RecordParameter.objects.using(using).filter(record=record).delete()
        RecordParameter.objects.using(using).bulk_create(
            RecordParameter(record=record, key=k, value=v) for k, v in sorted(parameters)
        )


def sync_visibility(sender, instance, **kwargs) -> None:
    """Keep the search copy of a session's visibility and account in step when the session is saved."""
    RecordSearch.objects.using(kwargs.get("using") or "default").filter(record__session_id=instance.pk).update(
        visibility=instance.visibility, account_id=instance.account_id
    )


def _text_query(query: Query):
    """One tsquery for all words and phrases (all must match), or None."""
    combined = None
    for text in query.texts:
        part = SearchQuery(" ".join(text.tokens), search_type="phrase" if len(text.tokens) > 1 else "plain",
                           config=TEXT_CONFIG)
        combined = part if combined is None else combined & part
    return combined


def _facet_on_row(facets: tuple, value: str) -> RawSQL:
    """True when the row's own facet copy holds `value` (any case) under one of `facets`."""
    slots = ", ".join(["upper(%s)"] * len(facets))
    sql = f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(facets) AS row_facet(k) WHERE upper(k) IN ({slots}))"
    return RawSQL(sql, [f"{facet}:{value}" for facet in facets], output_field=BooleanField())


def _on_row(queryset, condition: RawSQL):
    name = f"on_row_{len(queryset.query.annotations)}"
    return queryset.alias(**{name: condition}).filter(**{name: True})


def filter_records(queryset, query: Query, vendor: str):
    """`queryset` (of RecordSearch rows) narrowed to the records matching `query`."""
    # Once words narrow the rows (GIN), checking each row's own copies of its facets and parameters
    # beats collecting every record of a facet value or range from the side tables.
    on_rows = vendor == "postgresql" and bool(query.texts)
    for item in query.filters:
        facets = FILTER_FACETS.get(item.facet, (item.facet,))
        if on_rows:
            queryset = _on_row(queryset, _facet_on_row(facets, item.value))
            continue
        queryset = queryset.filter(
            record_id__in=RecordFacet.objects.filter(facet__in=facets, value__iexact=item.value).values("record_id")
        )
    for item in query.ranges:
        if on_rows:
            queryset = _on_row(queryset, _range_on_row(item))
            continue
        condition = Q(key__in=item.keys)
        if item.low is not None:
            condition &= Q(value__gte=item.low)
        if item.high is not None:
            condition &= Q(value__lte=item.high)
        queryset = queryset.filter(record_id__in=RecordParameter.objects.filter(condition).values("record_id"))
    if query.texts:
        if vendor == "postgresql":
            queryset = queryset.filter(vector=_text_query(query))
        else:
            for text in query.texts:
                queryset = queryset.filter(text__contains=" " + " ".join(text.tokens) + " ")
    return queryset


def facet_counts(matching) -> tuple[dict, int]:
    """Counts per facet value over `matching` records, in one grouped query; and their total."""
    rows = (
        RecordFacet.objects.using(matching.db)
        .filter(record_id__in=matching.values("record_id"))
        .values_list("facet", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    return _grouped(rows)


def _ordered(queryset, query: Query, sort: str, vendor: str):
    if sort == "relevance" and query.texts and vendor == "postgresql":
        rank = SearchRank(F("vector"), _text_query(query))
        return queryset.annotate(rank=rank).order_by("-rank", "-start", "-record_id")
    if sort == "oldest":
        return queryset.order_by("start", "record_id")
    return queryset.order_by("-start", "-record_id")


def _page_and_facets_in_one_query(matching, query: Query, sort: str, offset: int, limit: int) -> tuple[list, dict, int]:
    """PostgreSQL: match once (a materialised CTE), then group its facets and cut its page in one statement."""
    if sort == "relevance" and query.texts:
        keyed = matching.annotate(sort_rank=SearchRank(F("vector"), _text_query(query)))
        order = "sort_rank DESC, sort_start DESC, id DESC"
    else:
        keyed = matching.annotate(sort_rank=Value(0.0))
        order = "sort_start ASC, id ASC" if sort == "oldest" else "sort_start DESC, id DESC"
    inner = keyed.values_list("record_id", "sort_rank", "start", "facets").order_by()
    inner_sql, params = inner.query.sql_with_params()
    sql = (
        f"WITH m (id, sort_rank, sort_start, facets) AS MATERIALIZED ({inner_sql}) "
        f"SELECT e.k, count(*) FROM m, jsonb_array_elements_text(m.facets) AS e(k) GROUP BY e.k "
        f"UNION ALL SELECT '#' || p.id::text, p.position FROM "
        f"(SELECT id, row_number() OVER (ORDER BY {order}) AS position FROM m ORDER BY {order} "
        f"OFFSET %s LIMIT %s) p"
    )
    with connections[matching.db].cursor() as cursor:
        cursor.execute(sql, [*params, offset, limit])
        rows = cursor.fetchall()
    page_ids = [int(key[1:]) for key, _ in sorted((r for r in rows if r[0].startswith("#")), key=lambda r: r[1])]
    facets, total = _grouped([(*key.split(":", 1), n) for key, n in rows if not key.startswith("#")])
    return page_ids, facets, total


def _grouped(rows) -> tuple[dict, int]:
    facets = {name: [] for name in FACETS}
    total = 0
    for facet, value, n in rows:
        facets.setdefault(facet, []).append((value, n))
        if facet == "instrument":
            total += n  # every record has exactly one instrument
    for name, values in facets.items():
        newest_first = name in ("year", "month")
        values.sort(key=lambda item: (item[0],) if newest_first else (-item[1], item[0].lower()), reverse=newest_first)
        facets[name] = values[:MAX_FACET_VALUES]
    return facets, total


def search(user, text: str = "", page: int = 1, page_size: int = PAGE_SIZE, sort: str = "date",
           using: str = "default") -> SearchResult:
    """Run search `text` over the records `user` may see; raises QueryError for a bad query."""
    query = parse(text)
    vendor = connections[using].vendor
    sort = sort if sort in SORTS else "date"
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, min(int(page), MAX_PAGE))
    offset = (page - 1) * page_size
    matching = filter_records(searchable_records(user).using(using), query, vendor)
    if vendor == "postgresql":
        page_ids, facets, total = _page_and_facets_in_one_query(matching, query, sort, offset, page_size)
    else:
        facets, total = facet_counts(matching)
        ordered = _ordered(matching, query, sort, vendor).values_list("record_id", flat=True)
        page_ids = list(ordered[offset:offset + page_size])
    # The page is read through the authoritative rule as well, so a stale copy can never show a record.
    shown = visible_records(user).using(using).select_related("session__instrument").only(*RESULT_FIELDS)
    by_id = shown.in_bulk(page_ids)
    records = [by_id[i] for i in page_ids if i in by_id]
    return SearchResult(query=query, records=records, total=total, page=page, page_size=page_size, facets=facets)
