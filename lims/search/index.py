"""Writing the search index: `index_record` after a build or an edit, `reindex` for everything.

Each write takes the next change number from `SearchCounter` inside its transaction; the counter
row stays locked until the commit, so numbers become visible in the order they were taken.
"""
from django.db import connections, transaction

from lims.records.models import Record
from lims.search.document import Document, document_for
from lims.search.live import live
from lims.search.models import SearchCounter, SearchDocument

REINDEX_BATCH = 500


def _next_version(using: str) -> int:
    """The next change number; locks the counter row until the surrounding transaction ends."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {SearchCounter._meta.db_table} SET value = value + 1")
        if cursor.rowcount == 0:
            SearchCounter.objects.using(using).create(value=1)
            return 1
    return SearchCounter.objects.using(using).values_list("value", flat=True).get()


def _fields(document: Document) -> dict:
    return {"removed": False, "start": document.start, "day": document.day, "timezone": document.timezone,
            "visibility": document.visibility, "account_id": document.account_id, "text": document.text,
            "facets": document.facets, "numbers": document.numbers}


def index_record(record: Record) -> None:
    """(Re)build the search document of `record`; the pipeline and curation call this after a change."""
    using = record._state.db or "default"
    document = document_for(record)
    with transaction.atomic(using=using):
        SearchDocument.objects.using(using).update_or_create(
            record_id=document.record_id, defaults={**_fields(document), "version": _next_version(using)})


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
    ids = list(Record.objects.using(using).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REINDEX_BATCH):
        for record in Record.objects.using(using).filter(pk__in=ids[start:start + REINDEX_BATCH]).only("pk"):
            index_record(record)
        if progress:
            progress(min(start + REINDEX_BATCH, len(ids)), len(ids))
    gone = SearchDocument.objects.using(using).filter(removed=False).exclude(
        record_id__in=Record.objects.using(using).values("pk"))
    for record_id in list(gone.values_list("record_id", flat=True)):
        _mark_removed(record_id, using)
    engine = live(using)
    engine.current()
    engine.save()
    return len(ids)
