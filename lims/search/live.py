"""The process's engine, kept in step with the documents in the database.

Before each search, one query reads the change counter (`SearchCounter`); the engine then reads
only the documents changed since the last number it has seen. Numbers are taken in commit order
(the counter row is locked until its transaction ends), so none is ever skipped. A counter that
went back or a new epoch (a restored database, a fresh test database) makes it load everything again.
"""
import threading
import time

from django.db import connections

from lims.search.engine import Index
from lims.search.models import SearchCounter, SearchDocument

COLUMNS = ("record_id", "removed", "start", "day", "timezone", "visibility", "account_id", "text", "facets", "numbers")
CHUNK = 5000


class _Live:
    def __init__(self, alias: str):
        self.alias = alias
        self.lock = threading.RLock()
        self.index = None
        self.version = 0
        self.epoch = None
        self.loaded_in = 0.0

    def _verify(self, record_ids: list, phrase: str) -> list:
        """Ids among `record_ids` whose stored text holds `phrase` (three or more words in a row)."""
        found = []
        for start in range(0, len(record_ids), CHUNK):
            rows = SearchDocument.objects.using(self.alias).filter(
                record_id__in=record_ids[start:start + CHUNK], text__contains=f" {phrase} ")
            found.extend(rows.values_list("record_id", flat=True))
        return found

    def _rows(self, since: int, until: int):
        documents = SearchDocument.objects.using(self.alias).filter(version__gt=since, version__lte=until)
        return documents.order_by("version").values_list(*COLUMNS).iterator(chunk_size=CHUNK)

    def current(self, progress=None) -> Index:
        """The engine, after catching up with every committed change."""
        with self.lock:
            counter = SearchCounter.objects.using(self.alias).order_by("pk").values_list("value", "epoch").first()
            value, epoch = counter if counter else (0, None)
            if self.index is None or epoch != self.epoch or value < self.version:
                began = time.perf_counter()
                self.index = Index(verify=self._verify)
                self.index.add_many(self._rows(0, value))
                self.loaded_in = time.perf_counter() - began
            elif value > self.version:
                self.index.add_many(self._rows(self.version, value))
            self.version, self.epoch = value, epoch
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


def vendor(alias: str) -> str:
    return connections[alias].vendor
