"""Does one record match a saved query? `matches(query_text, record)` answers with the engine's own rules.

For subscriptions and notifications: call it when a record is built or changed. It evaluates the
query on that record alone (a one-document engine built from the same document as the index), so
it agrees with what a search would find. `Matcher(record)` builds that engine once to test many
queries against the same record. Visibility is not part of it: check who may see the
record (`lims.records.permissions`) before telling anyone about it.
"""
from datetime import datetime

from django.utils import timezone

from lims.records.models import Record
from lims.search.document import document_for
from lims.search.engine import Index
from lims.search.query import Query, parse
from lims.search.service import today_in, with_instrument_names


class Matcher:
    """One record as a one-document engine, to test many queries against it (a record's subscriptions)."""

    def __init__(self, record: Record, now: datetime | None = None):
        self.using = record._state.db or "default"
        document = document_for(record)
        self.index = Index()
        start = document.start.timestamp() if document.start else None
        self.index.add_many([(document.record_id, False, start, document.day, document.timezone, document.visibility,
                              document.account_id, document.text, document.facets, document.numbers)])
        self.today = today_in(now or timezone.now())

    def __call__(self, query_text: str | Query) -> bool:
        """True when the record fits `query_text`; QueryError for a bad query."""
        query = parse(query_text) if isinstance(query_text, str) else query_text
        query = with_instrument_names(query, self.using)
        if query.root is None:
            return True
        return bool(self.index.evaluate(query.root, self.today))


def matches(query_text: str | Query, record: Record, now: datetime | None = None) -> bool:
    """True when `record` fits `query_text` (a string, or a Query from `parse`); QueryError for a bad query."""
    return Matcher(record, now)(query_text)
