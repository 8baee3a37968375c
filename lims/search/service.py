"""Running a search for a reader: matching records, exact facet counts, one page, and help when empty.

Facets count the records the reader may see that match the query. A facet that the query filters
at the top level (`instrument:titan,talos`) is counted without its own filter, so its other values
stay visible with what picking them would add (OR within a facet, AND across facets).
"""
import math
import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from lims.instruments.models import Instrument
from lims.records.permissions import Audience, audience, visible_records
from lims.search.facets import FACETS, MAX_FACET_VALUES
from lims.search.live import live
from lims.search.query import Query, filter_values, parse, with_values
from lims.search.suggest import suggestions

SORTS = ("date", "oldest", "relevance")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000
# What result cards and the API's record summaries show; the rest of a record is not read.
RESULT_FIELDS = ("title", "data", "file_count", "error_count", "activity_count", "formats", "modes", "session__user",
                 "session__project", "session__sample", "session__start", "session__end", "session__instrument__pid",
                 "session__instrument__timezone", "session__instrument__name")


@dataclass
class SearchResult:
    query: Query
    records: list
    total: int
    page: int
    page_size: int
    facets: dict = field(default_factory=dict)
    buckets: dict = field(default_factory=dict)  # numeric facet -> [count per bucket]
    suggestions: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def with_instrument_names(query: Query, using: str = "default") -> Query:
    """`instrument:` takes an instrument's name as well as its PID (any case): each name filtered on
    brings the PIDs of the instruments called so, read now, so a renamed instrument is found by its new name."""
    names = filter_values(query, "instrument")
    if not names:
        return query
    condition = Q()
    for name in names:
        condition |= Q(name__iexact=name)
    pids = {}
    for pid, name in Instrument.objects.using(using).filter(condition).values_list("pid", "name"):
        pids.setdefault(name.lower(), []).append(pid)
    return with_values(query, "instrument", pids)


def today_in(now: datetime):
    cache = {}

    def today(zone: str):
        if zone not in cache:
            try:
                cache[zone] = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                cache[zone] = now.date()
        return cache[zone]

    return today


def _sorted_values(name: str, values: list, chosen: set) -> list:
    newest_first = name in ("year", "month")
    values.sort(key=lambda item: (item[0],) if newest_first else (-item[1], item[0].lower()), reverse=newest_first)
    shown = values[:MAX_FACET_VALUES]
    # A value the query picked stays in the list even when it is not among the most frequent.
    shown += [item for item in values[MAX_FACET_VALUES:] if item[0].lower() in chosen]
    return shown


class Searcher:
    """One reader's view of the engine: visible slots and query evaluation. Use it only inside
    `searching(...)`, which holds the engine's lock, so no other thread adds documents meanwhile."""

    def __init__(self, index, rule: Audience, now: datetime | None = None):
        self.index = index
        self.visible = self.index.visible(rule.everything, rule.visibilities, rule.accounts)
        self.today = today_in(now or timezone.now())

    def matching(self, query: Query):
        if query.root is None:
            return self.visible
        return self.index.evaluate(query.root, self.today) & self.visible

    def count(self, query: Query) -> int:
        return len(self.matching(query))

    def facets(self, query: Query, matching) -> dict:
        by_facet = {}
        for part in query.top_filters():
            by_facet.setdefault(part.facet, []).append(part)
        counts = self.index.facet_counts(matching, [name for name in FACETS if name not in by_facet])
        for name, parts in by_facet.items():
            if name in FACETS:
                rest = query
                for part in parts:
                    rest = rest.without(part)
                counts.update(self.index.facet_counts(self.matching(rest), [name]))
        chosen = {name: {v.lower() for p in parts for v in p.values} for name, parts in by_facet.items()}
        return {name: _sorted_values(name, counts.get(name, []), chosen.get(name, set())) for name in FACETS}


@contextmanager
def searching(user, using: str = "default", now: datetime | None = None):
    """A Searcher for `user` on the engine, caught up and locked for the duration of the block."""
    rule = audience(user)  # its query for group mates runs before the lock is taken
    engine = live(using)
    with engine.lock:
        yield Searcher(engine.current(), rule, now)


def search(user, text: str = "", page: int = 1, page_size: int = PAGE_SIZE, sort: str = "date",
           using: str = "default", now: datetime | None = None) -> SearchResult:
    """Run search `text` over the records `user` may see; raises QueryError for a bad query."""
    query = parse(text)
    resolved = with_instrument_names(query, using)
    sort = sort if sort in SORTS else "date"
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, min(int(page), MAX_PAGE))
    with searching(user, using, now) as searcher:
        matching = searcher.matching(resolved)
        words = [token for text_node in query.words() for token in text_node.tokens]
        page_ids = searcher.index.page(matching, (page - 1) * page_size, page_size, sort, words)
        result = SearchResult(query=query, records=[], total=len(matching), page=page, page_size=page_size,
                              facets=searcher.facets(resolved, matching), buckets=searcher.index.bucket_counts(matching))
        if not result.total and not query.empty:
            result.suggestions = suggestions(searcher, resolved)
    # The page is read through the authoritative rule as well, so a stale copy can never show a record.
    shown = visible_records(user).using(using).select_related("session__instrument").only(*RESULT_FIELDS)
    by_id = shown.in_bulk(page_ids)
    result.records = [by_id[i] for i in page_ids if i in by_id]
    return result


def matching_record_ids(user, text: str, using: str = "default", limit: int | None = None) -> list:
    """Ids of every record `user` may see that matches `text`, newest first (for exports)."""
    query = with_instrument_names(parse(text), using)
    with searching(user, using) as searcher:
        matching = searcher.matching(query)
        return searcher.index.page(matching, 0, min(len(matching), limit or len(matching)), "date")
