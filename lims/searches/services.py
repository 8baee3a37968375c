"""Checking a saved search's query and previewing what it matches, through the search engine itself."""
from dataclasses import dataclass, field

from lims.records.permissions import visible_records
from lims.search.query import QueryError, parse
from lims.search.service import searching, with_instrument_names

PREVIEW_RECORDS = 10
DEFAULT_DAYS = 7
MAX_DAYS = 3650


@dataclass
class Preview:
    """What a saved search matches now for its reader: the count, the count in the last `days` days, the newest."""

    count: int
    recent: int
    days: int
    records: list = field(default_factory=list)


def check_query(text: str) -> str:
    """The query, stripped, if the search language accepts it; QueryError (with the reason) if not."""
    text = (text or "").replace("\x00", "").strip()
    parse(text)
    return text


def recent_query(text: str, days: int) -> str:
    """`text` limited to records of the last `days` days (the language's own date filter)."""
    window = f"date:last-{days}-days"
    return f"({text}) {window}" if text else window


def preview(user, text: str, days: int = DEFAULT_DAYS, limit: int = PREVIEW_RECORDS) -> Preview:
    """Records `user` may see that match `text` now, newest first; QueryError for a bad query."""
    query = with_instrument_names(parse(text))
    recent = with_instrument_names(parse(recent_query(text, days)))
    with searching(user) as searcher:
        matching = searcher.matching(query)
        count, recent_count = len(matching), searcher.count(recent)
        ids = searcher.index.page(matching, 0, min(limit, count), "date")
    shown = visible_records(user).select_related("session__instrument").defer("xml_text").in_bulk(ids)
    return Preview(count=count, recent=recent_count, days=days, records=[shown[i] for i in ids if i in shown])

