"""What an installation stores: the data files, previews and record XML its database refers to, and what
nothing refers to.

Stored files live in three areas: each instrument's folder (`<pid>/<yyyy>/<session>/`, one file per
`DataFile`, under `DataFile.storage_name`), `previews/` (named by the content they show, referred
to by `DataFile.preview` and `ExtractionResult.preview`) and `records/` (each record's XML,
`records/<session>/<sha256>.xml`, referred to by `Record.xml_key`). Everything else under DATA_ROOT is a cache
or a staging area that can be rebuilt or resent: `plots/`, `search/`, `.uploads/`.

With object storage (STORAGE_URL) the same three areas are keys under the store's prefix. Every listing
reads the database in chunks and the disk one folder at a time (the store a page of keys at a time),
so memory stays bounded by the largest session, not by the installation.
"""
import heapq
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings

from lims.instruments.models import Instrument
from lims.records.models import XML_FOLDER, ExtractionResult, Record
from lims.sessions import objects
from lims.sessions.models import DataFile

CHUNK = 2000
PREVIEWS = "previews"
DATA = "data"
PREVIEW = "preview"
RECORD = "record"


@dataclass(frozen=True)
class Stored:
    """One file the database refers to: its path relative to DATA_ROOT, recorded sha256 ("" if none) and size."""

    path: str
    kind: str
    sha256: str = ""
    size: int | None = None


def _relative(datafile: DataFile) -> str:
    return datafile.storage_key


def data_files(using: str = "default", since: datetime | None = None) -> Iterator[Stored]:
    """Every DataFile (stored since `since`, when given), in id order."""
    rows = DataFile.objects.using(using).select_related("session__instrument").only(
        "relative_path", "version", "stored_as", "sha256", "size", "session__start", "session__instrument__pid"
    ).order_by("pk")
    if since is not None:
        rows = rows.filter(created__gte=since)
    for row in rows.iterator(chunk_size=CHUNK):
        yield Stored(_relative(row), DATA, row.sha256, row.size)


def _further_previews(model, using: str) -> Iterator[tuple[str, list[str]]]:
    """(main preview, keys of its further signals' previews: records.process.signal_preview_path) of the rows
    of `model` whose file holds several signals, in order of the main preview, each main preview once."""
    from records.process import signal_preview_path

    rows = (model.objects.using(using).exclude(preview="").filter(metadata__has_key="signals")
            .values_list("preview", "metadata__signals").order_by("preview"))
    last = None
    for main, signals in rows.iterator(chunk_size=CHUNK):
        if main == last:  # files of the same content share their previews
            continue
        last = main
        yield main, [signal_preview_path(PurePosixPath(main), index).as_posix()
                     for index, signal in enumerate(signals if isinstance(signals, list) else [], start=1)
                     if isinstance(signal, dict) and signal.get("preview")]


def previews(using: str = "default") -> Iterator[Stored]:
    """Every preview a file or a cached extraction refers to, once each: main previews, then those of
    further signals (a file holding several signals has one preview per signal)."""
    from_files = DataFile.objects.using(using).exclude(preview="").values_list("preview", flat=True).order_by()
    from_results = (ExtractionResult.objects.using(using).exclude(preview="")
                    .values_list("preview", flat=True).order_by())
    for path in from_files.union(from_results).order_by("preview").iterator(chunk_size=CHUNK):
        yield Stored(path, PREVIEW)
    last = None
    merged = heapq.merge(_further_previews(DataFile, using), _further_previews(ExtractionResult, using),
                         key=lambda found: found[0])
    for main, paths in merged:
        if main != last:  # a file and its cached extraction name the same previews
            yield from (Stored(path, PREVIEW) for path in paths)
        last = main


def record_files(using: str = "default", since: datetime | None = None) -> Iterator[Stored]:
    """Every record's XML kept in storage (named by its sha256; built since `since`, when given)."""
    records = Record.objects.using(using).exclude(xml_key="")
    if since is not None:
        records = records.filter(built__gte=since)
    keys = records.order_by("pk").values_list("xml_key", flat=True)
    for key in keys.iterator(chunk_size=CHUNK):
        yield Stored(key, RECORD, PurePosixPath(key).stem)


def stored_files(using: str = "default") -> Iterator[Stored]:
    """Data files, then previews, then record XML."""
    yield from data_files(using)
    yield from previews(using)
    yield from record_files(using)


def _files_under(folder: Path) -> Iterator[Path]:
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(parent) / name


def _session_names(pid: str, year: str, session_id: str) -> set[str]:
    """Storage names of the session kept in this folder (none when no session belongs here)."""
    try:
        uuid.UUID(session_id)
    except ValueError:
        return set()
    rows = DataFile.objects.filter(session_id=session_id, session__instrument__pid=pid).select_related("session")
    return {row.storage_name for row in rows.only("relative_path", "version", "stored_as", "session__start")
            if f"{row.session.start:%Y}" == year}


def _instrument_leftovers(folder: Path, pid: str) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if not entry.is_dir():
            yield entry
            continue
        for session_folder in sorted(entry.iterdir()):
            if not session_folder.is_dir():
                yield session_folder
                continue
            names = _session_names(pid, entry.name, session_folder.name)
            for path in _files_under(session_folder):
                if path.relative_to(session_folder).as_posix() not in names:
                    yield path


def _main_preview(key: str) -> str:
    """The main preview a preview's key belongs to: itself, or `<sha256>.png` for a further signal's
    `<sha256>.<n>.png` (records.process.signal_preview_path), which is kept exactly as long as its main one."""
    folder, _, name = key.rpartition("/")
    stem, dot, _rest = name.partition(".")
    return f"{folder}/{stem}.png" if dot else key


def _unreferenced_previews(keys: list[str]) -> list[str]:
    """Those of these preview keys (at most CHUNK) that no file or cached extraction refers to."""
    owners = {key: _main_preview(key) for key in keys}
    shas = {owner.rpartition("/")[2].partition(".")[0] for owner in owners.values()}
    known = set(DataFile.objects.filter(sha256__in=shas).values_list("preview", flat=True))
    known |= set(ExtractionResult.objects.filter(sha256__in=shas).values_list("preview", flat=True))
    return [key for key, owner in owners.items() if owner not in known]


def _preview_leftovers(folder: Path) -> Iterator[Path]:
    for prefix in sorted(folder.iterdir()):
        paths = sorted(_files_under(prefix)) if prefix.is_dir() else [prefix]
        for start in range(0, len(paths), CHUNK):
            by_key = {path.relative_to(settings.DATA_ROOT).as_posix(): path for path in paths[start:start + CHUNK]}
            yield from (by_key[key] for key in _unreferenced_previews(list(by_key)))


def _record_leftovers(folder: Path) -> Iterator[Path]:
    for session_folder in sorted(folder.iterdir()):
        paths = sorted(_files_under(session_folder)) if session_folder.is_dir() else [session_folder]
        known = set(Record.objects.filter(xml_key__startswith=f"{XML_FOLDER}/{session_folder.name}/")
                    .values_list("xml_key", flat=True))
        yield from (path for path in paths if path.relative_to(settings.DATA_ROOT).as_posix() not in known)


def _local_leftovers(older_than: datetime) -> Iterator[str]:
    root = Path(settings.DATA_ROOT)
    if not root.is_dir():
        return
    pids = set(Instrument.objects.values_list("pid", flat=True))
    cutoff = older_than.timestamp()
    for entry in sorted(root.iterdir()):
        if entry.name == PREVIEWS and entry.is_dir():
            found = _preview_leftovers(entry)
        elif entry.name == XML_FOLDER and entry.is_dir():
            found = _record_leftovers(entry)
        elif entry.name in pids and entry.is_dir():
            found = _instrument_leftovers(entry, entry.name)
        else:
            continue  # caches and staging areas
        for path in found:
            try:
                if path.lstat().st_mtime < cutoff:
                    yield path.relative_to(root).as_posix()
            except FileNotFoundError:
                continue


def _object_leftovers(older_than: datetime) -> Iterator[str]:
    """Objects under the store's prefix that nothing refers to. The prefix holds only stored files (staging
    and caches stay under DATA_ROOT), so an object outside the instrument folders, previews/ and records/ is
    one too."""
    pids = set(Instrument.objects.values_list("pid", flat=True))
    folder, names, previews = None, set(), []
    for key, written in objects.listing():  # in key order: a session's objects come together
        if written >= older_than:
            continue
        parts = key.split("/")
        if parts[0] == PREVIEWS and len(parts) == 3:
            previews.append(key)
            if len(previews) >= CHUNK:
                yield from _unreferenced_previews(previews)
                previews = []
        elif parts[0] == XML_FOLDER and len(parts) == 3:
            if (XML_FOLDER, parts[1]) != folder:
                folder = (XML_FOLDER, parts[1])
                names = set(Record.objects.filter(xml_key__startswith=f"{XML_FOLDER}/{parts[1]}/")
                            .values_list("xml_key", flat=True))
            if key not in names:
                yield key
        elif parts[0] in pids and len(parts) >= 4:
            if tuple(parts[:3]) != folder:
                folder = tuple(parts[:3])
                names = _session_names(*folder)
            if "/".join(parts[3:]) not in names:
                yield key
        else:
            yield key
    yield from _unreferenced_previews(previews)


def unreferenced(older_than: datetime) -> Iterator[str]:
    """Keys of stored files that nothing refers to, last changed before `older_than`: files in the
    stored areas under DATA_ROOT, or objects under the prefix of the object store (STORAGE_URL).

    A file stored a moment ago may not have its row committed yet, hence the age limit.
    """
    return _object_leftovers(older_than) if objects.remote() else _local_leftovers(older_than)
