"""A session's files as compact arrays, grouped into activities, and read back in chunks to write the record.

The finish step must not hold a dataset per file: at 100,000 files their metadata alone is gigabytes
of Python objects. So one pass reads only what grouping needs (id, time, mode, format) into arrays;
the activities are lists of file ids; and each activity's setup and datasets are read again from the
database FILE_CHUNK files at a time, when they are needed, in the activity's order. Memory then
grows by a few dozen bytes per file, not by the size of its metadata.
"""
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings

from lims.curation import build as curation
from lims.sessions.models import DataFile
from records.activities import EPOCH, CommonSetup, common_mode, mode_of, runs
from records.model import Activity, Dataset

FILE_CHUNK = 2000  # files read from the database at a time
ORDER = ("acquired", "relative_path", "version")
# What a Dataset is made of (`dataset`), so nothing else is read.
DATASET_FIELDS = ("id", "relative_path", "version", "stored_as", "size", "sha256", "format", "extractor",
                  "signal_type", "acquired", "mtime", "preview", "metadata", "warnings", "error")
_UNTIMED = np.iinfo(np.int64).min
_MICROSECOND = timedelta(microseconds=1)


@dataclass
class SessionFiles:
    """One entry per file of a session, in the database's order: what grouping and the record's summary need."""

    ids: np.ndarray  # int64
    times: np.ndarray  # int64 microseconds since the epoch (acquired, else modified), _UNTIMED when neither
    modes: list  # mode_of(signal_type): a few shared strings, or None
    formats: list  # format names, one shared string per distinct format
    error_count: int
    preview_file: int | None  # the first file with a preview and no error
    _by_id: np.ndarray | None = field(default=None, repr=False)  # positions sorting `ids`, made when needed

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, ids) -> np.ndarray:
        """The positions of these file ids."""
        if self._by_id is None:
            self._by_id = np.argsort(self.ids, kind="stable")
        return self._by_id[np.searchsorted(self.ids, ids, sorter=self._by_id)]


def _micros(moment: datetime | None) -> int:
    return _UNTIMED if moment is None else (moment - EPOCH) // _MICROSECOND


def session_files(session) -> SessionFiles:
    """Read the session's files once, keeping a few numbers and shared strings per file."""
    ids, times, modes, formats, shared = array("q"), array("q"), [], [], {}
    error_count, preview_file = 0, None
    rows = session.files.order_by(*ORDER).values_list("id", "acquired", "mtime", "signal_type", "format",
                                                       "preview", "error")
    for file_id, acquired, mtime, signal_type, file_format, preview, error in rows.iterator(chunk_size=FILE_CHUNK):
        ids.append(file_id)
        times.append(_micros(acquired or mtime))
        modes.append(mode_of(signal_type))
        formats.append(shared.setdefault(file_format, file_format))
        error_count += bool(error)
        if preview_file is None and preview and not error:
            preview_file = file_id
    return SessionFiles(np.frombuffer(ids, dtype=np.int64), np.frombuffer(times, dtype=np.int64), modes, formats,
                        error_count, preview_file)


def _grouped(files: SessionFiles, sensitivity: float, enabled: bool) -> list[np.ndarray]:
    """Positions of the files of each activity, as `records.activities.group` finds them (untimed last)."""
    timed = np.flatnonzero(files.times != _UNTIMED)
    timed = timed[np.argsort(files.times[timed], kind="stable")]
    untimed = np.flatnonzero(files.times == _UNTIMED)
    if not enabled and len(timed):
        return [np.concatenate([timed, untimed])]
    found = []
    if len(timed):
        stamps = files.times[timed] / 1e6
        found = [timed[run] for run in runs(stamps, [files.modes[p] for p in timed],
                                            [files.formats[p] for p in timed], sensitivity)]
    return found + ([untimed] if len(untimed) else [])


def _in_chunks(ids: list[int], fields=DATASET_FIELDS):
    """The DataFiles of `ids`, in that order, read FILE_CHUNK at a time."""
    for begin in range(0, len(ids), FILE_CHUNK):
        chunk = ids[begin:begin + FILE_CHUNK]
        found = DataFile.objects.only(*fields).in_bulk(chunk)
        yield from (found[file_id] for file_id in chunk if file_id in found)


def dataset(record, f: DataFile, description: str = "") -> Dataset:
    """The Dataset of one stored file, as the record lists it."""
    base = f"{settings.SITE_URL}/records/{record.pk}/files/{f.pk}"
    return Dataset(
        name=f.relative_path.rsplit("/", 1)[-1],
        location=f.stored_name,
        size=f.size,
        sha256=f.sha256,
        format=f.format,
        extractor=f.extractor,
        signal_type=f.signal_type or "other",
        acquired=f.acquired or f.mtime,
        preview=f"{base}/preview.png" if f.preview else "",
        metadata=f.metadata or {},
        warnings=list(f.warnings or []),
        error=f.error,
        url=f"{base}/",
        description=description,
    )


class FileDatasets:
    """The datasets of some files, in order, read from the database in chunks each time they are iterated."""

    def __init__(self, record, ids: list[int], descriptions: dict[int, str]):
        self.record, self.ids, self.descriptions = record, ids, descriptions

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self):
        for f in _in_chunks(self.ids):
            yield dataset(self.record, f, self.descriptions.get(f.pk, ""))


def _setup(ids: list[int]) -> dict:
    setup = CommonSetup()
    for f in _in_chunks(ids, ("id", "metadata")):
        setup.add(f.metadata or {})
        if setup.first == {}:
            break
    return setup.result()


def _span(files: SessionFiles, positions: np.ndarray) -> tuple | None:
    stamps = files.times[positions]
    stamps = stamps[stamps != _UNTIMED]
    if not len(stamps):
        return None
    return EPOCH + int(stamps.min()) * _MICROSECOND, EPOCH + int(stamps.max()) * _MICROSECOND


def activities(session, record, files: SessionFiles) -> list[Activity]:
    """The session's activities, as grouped and as people arranged them, numbered in time order, each with
    its setup and its datasets to be read when written (`FileDatasets`)."""
    instrument = session.instrument
    groups = _grouped(files, instrument.grouping_sensitivity, instrument.group_activities)

    def when(file_id: int) -> tuple:
        p = int(files.positions([file_id])[0])
        return (bool(files.times[p] == _UNTIMED), int(files.times[p]), p)

    arranged = curation.arrange(session, [files.ids[g].tolist() for g in groups], when)
    if arranged is not None:
        groups = [files.positions(ids) for ids in arranged]
    spans = [_span(files, positions) for positions in groups]
    if arranged is not None:  # a group people made of untimed files only is dated at the earliest activity
        fallback = min((span[0] for span in spans if span), default=session.start)
    else:  # the untimed files (the last group) are dated at the end of the timed ones
        fallback = next((span[1] for span in reversed(spans) if span), EPOCH)
    descriptions = curation.descriptions(session)
    found = []
    for index, (positions, span) in enumerate(zip(groups, spans), start=1):
        ids = files.ids[positions].tolist()
        start, end = span or (fallback, fallback)
        found.append(Activity(index=index, start=start, end=end, mode=common_mode(files.modes[p] for p in positions),
                              setup=_setup(ids), datasets=FileDatasets(record, ids, descriptions)))
    return found
