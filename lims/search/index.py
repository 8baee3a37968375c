"""Writing the search index: `index_record` after a build or an edit, `reindex` for everything.

Each write takes the next change numbers from `SearchCounter` first thing in its transaction; the
counter row stays locked until the commit, so numbers become visible in the order they were taken
and two writers of one record follow each other.
"""
from django.db import connections, transaction

from lims.records.models import Record
from lims.search.document import Document, documents_for
from lims.search.live import live
from lims.search.models import SearchCounter, SearchDocument

REINDEX_BATCH = 500  # records per transaction, or fewer when they hold many files:
REINDEX_FILES = 20_000


def _next_versions(using: str, count: int = 1) -> int:
    """Take `count` change numbers and return the first; locks the counter row until the transaction ends."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {SearchCounter._meta.db_table} SET value = value + %s", [count])
        if cursor.rowcount == 0:
            SearchCounter.objects.using(using).create(value=count)
            return 1
    return SearchCounter.objects.using(using).values_list("value", flat=True).get() - count + 1


def _next_version(using: str) -> int:
    return _next_versions(using, 1)


def _fields(document: Document) -> dict:
    return {"removed": False, "start": document.start, "day": document.day, "timezone": document.timezone,
            "visibility": document.visibility, "account_id": document.account_id, "text": document.text,
            "facets": document.facets, "numbers": document.numbers}


def index_records(record_ids: list, using: str = "default") -> int:
    """(Re)build the search documents of these records in one transaction; returns how many were written."""
    documents = documents_for(record_ids, using)
    if not documents:
        return 0
    with transaction.atomic(using=using):
        # The counter's row lock comes first: writers of the same record then follow each other.
        first = _next_versions(using, len(documents))
        SearchDocument.objects.using(using).filter(record_id__in=[d.record_id for d in documents]).delete()
        SearchDocument.objects.using(using).bulk_create(
            SearchDocument(record_id=d.record_id, version=first + i, **_fields(d)) for i, d in enumerate(documents))
    return len(documents)


def index_record(record: Record) -> None:
    """(Re)build the search document of `record`; the pipeline and curation call this after a change."""
    index_records([record.pk], record._state.db or "default")


def _mark_removed(record_id: int, using: str) -> None:
    with transaction.atomic(using=using):
        SearchDocument.objects.using(using).filter(record_id=record_id).update(
            removed=True, text="", facets=[], numbers={}, version=_next_version(using))


def forget_record(sender, instance, **kwargs) -> None:
    """Mark a deleted record's document removed (a signal handler for Record deletions)."""
    _mark_removed(instance.pk, kwargs.get("using") or "default")


def sync_visibility(sender, instance, **kwargs) -> None:
    """Keep a session's record's copy of its visibility and account in step when the session is saved."""
    using = kwargs.get("using") or "default"
    record_id = Record.objects.using(using).filter(session_id=instance.pk).values_list("pk", flat=True).first()
    if record_id is None:
        return
    with transaction.atomic(using=using):
        stale = SearchDocument.objects.using(using).filter(record_id=record_id).exclude(
            visibility=instance.visibility, account_id=instance.account_id)
        if stale.exists():
            stale.update(visibility=instance.visibility, account_id=instance.account_id,
                         version=_next_version(using))


def reindex(using: str = "default", progress=None) -> int:
    """Rebuild every document from the records (and drop those of records that are gone), then load
    the engine and write its snapshot; returns how many records were indexed. `progress(done, total)`
    is called after each batch."""
    rows = list(Record.objects.using(using).order_by("pk").values_list("pk", "file_count"))
    batch, files, done = [], 0, 0
    for position, (record_id, file_count) in enumerate(rows, 1):
        batch.append(record_id)
        files += file_count
        if len(batch) >= REINDEX_BATCH or files >= REINDEX_FILES or position == len(rows):
            done += index_records(batch, using)
            batch, files = [], 0
            if progress:
                progress(position, len(rows))
    gone = SearchDocument.objects.using(using).filter(removed=False).exclude(
        record_id__in=Record.objects.using(using).values("pk"))
    for record_id in list(gone.values_list("record_id", flat=True)):
        _mark_removed(record_id, using)
    engine = live(using)
    engine.current()
    engine.save()
    return done
