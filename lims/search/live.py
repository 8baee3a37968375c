"""The process's engine, kept in step with the documents in the database.

Before each search, one query reads the change counter (`SearchCounter`); the engine then reads
only the documents changed since the last number it has seen. Numbers are taken in commit order
(the counter row is locked until its transaction ends), so none is ever skipped. A counter that
went back or a new epoch (a restored database, a fresh test database) makes it load everything again.

Loading everything from the database takes minutes at a million records, so a full load (and
`reindex`) leaves a snapshot of the engine in DATA_ROOT/search/; a starting process reads the
snapshot (seconds) and then only the documents changed since it was written.
"""
import gc
import json
import logging
import threading
import time

from django.conf import settings
from django.db import connections

from lims.search.engine import Index
from lims.search.models import SearchCounter, SearchDocument

# The columns the engine reads, as plain values (start in seconds, JSON as text): read raw, they load
# several times faster than through the ORM's per-row converters.
_SELECT = {
    "postgresql": ("CAST(floor(extract(epoch FROM start)) AS bigint)", "facets::text", "numbers::text"),
    "sqlite": ("CAST(strftime('%%s', start) AS integer)", "facets", "numbers"),
}
CHUNK = 5000
# A process that has read this many changes since the snapshot was written writes a new one.
SNAPSHOT_AFTER_CHANGES = 20_000
# Replaced documents leave dead slots behind; above this share, the engine is compacted before it is saved.
COMPACT_ABOVE = 0.2
log = logging.getLogger(__name__)


def snapshot_path(alias: str = "default"):
    return settings.DATA_ROOT / "search" / f"engine-{alias}.npz"


class _Live:
    def __init__(self, alias: str):
        self.alias = alias
        self.lock = threading.RLock()
        self.index = None
        self.version = 0
        self.epoch = None
        self.loaded_in = 0.0
        self.source = ""  # "database" or "snapshot": where the last full load came from
        self.changes = 0  # documents read since the snapshot was written

    def _verify(self, record_ids: list, phrase: str) -> list:
        """Ids among `record_ids` whose stored text holds `phrase` (three or more words in a row)."""
        found = []
        for start in range(0, len(record_ids), CHUNK):
            rows = SearchDocument.objects.using(self.alias).filter(
                record_id__in=record_ids[start:start + CHUNK], text__contains=f" {phrase} ")
            found.extend(rows.values_list("record_id", flat=True))
        return found

    def _rows(self, since: int, until: int):
        """Documents numbered in (since, until], in order, as the tuples `Index.add_many` reads."""
        connection = connections[self.alias]
        start_seconds, facets, numbers = _SELECT[connection.vendor]
        sql = (f"SELECT record_id, removed, {start_seconds}, day, timezone, visibility, account_id, text, "
               f"{facets}, {numbers} FROM {SearchDocument._meta.db_table} "
               f"WHERE version > %s AND version <= %s ORDER BY version")
        with connection.chunked_cursor() as cursor:  # a server-side cursor on PostgreSQL: bounded memory
            cursor.execute(sql, [since, until])
            while True:
                rows = cursor.fetchmany(CHUNK)
                if not rows:
                    return
                for row in rows:
                    yield (*row[:8], json.loads(row[8] or "[]"), json.loads(row[9] or "{}"))

    def _from_snapshot(self, epoch, value: int):
        """The engine saved in the snapshot and the number it was saved at, if it fits this database."""
        path = snapshot_path(self.alias)
        if not path.exists():
            return None, 0
        try:
            index, meta = Index.load(path, verify=self._verify)
        except Exception:  # noqa: BLE001 - a damaged snapshot only costs a full load
            log.warning("search snapshot %s could not be read; loading from the database", path, exc_info=True)
            return None, 0
        if meta.get("epoch") != str(epoch) or meta.get("version", 0) > value:
            return None, 0
        return index, meta["version"]

    def save(self) -> None:
        """Write the engine as it is now to the snapshot file."""
        with self.lock:
            if self.index is not None:
                if self.index.dead_share > COMPACT_ABOVE:
                    self.index.compact()
                self.index.save(snapshot_path(self.alias), epoch=str(self.epoch), version=self.version)
                self.changes = 0

    def current(self) -> Index:
        """The engine, after catching up with every committed change."""
        with self.lock:
            counter = SearchCounter.objects.using(self.alias).order_by("pk").values_list("value", "epoch").first()
            value, epoch = counter if counter else (0, None)
            if self.index is None or epoch != self.epoch or value < self.version:
                began = time.perf_counter()
                self.index, self.version = self._from_snapshot(epoch, value)
                self.source, self.changes = "snapshot", 0
                if self.index is None:
                    self.index = Index(verify=self._verify)
                    # Millions of short-lived objects would make the cyclic collector rescan all of them
                    # again and again (most of the load time); none of them form cycles.
                    gc.disable()
                    try:
                        self.index.add_many(self._rows(0, value))
                    finally:
                        gc.enable()
                    self.version, self.epoch, self.source = value, epoch, "database"
                    if value:
                        self.save()
                self.loaded_in = time.perf_counter() - began
            if value > self.version:
                self.changes += self.index.add_many(self._rows(self.version, value))
            self.version, self.epoch = value, epoch
            if self.changes >= SNAPSHOT_AFTER_CHANGES:
                self.save()
            return self.index


_LIVE = {}
_LIVE_LOCK = threading.Lock()


def live(alias: str = "default") -> _Live:
    with _LIVE_LOCK:
        if alias not in _LIVE:
            _LIVE[alias] = _Live(alias)
        return _LIVE[alias]


def forget_engines() -> None:
    """Drop every loaded engine (the next search loads again); for tests and after a restore."""
    with _LIVE_LOCK:
        _LIVE.clear()

