"""What search knows of one record, gathered from the record, its session and its files.

`document_for(record)` gives a `Document`; `index.index_record` stores it and `matches` evaluates a
query on it directly. Times become days in the instrument's time zone, so `date:2025-03-14` means
that day where the instrument stands.
"""
import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

from lims.records.models import Record
from lims.search.query import PARAMETERS, base_value, tokenize_text
from lims.sessions.models import DataFile

# Metadata strings longer than this are not worth indexing as words.
MAX_INDEXED_STRING = 500
SEPARATOR = " | "


@dataclass
class Document:
    record_id: int
    start: datetime | None
    day: int
    timezone: str
    visibility: str
    account_id: int | None
    text: str
    facets: list = field(default_factory=list)
    numbers: dict = field(default_factory=dict)


def _signals(metadata: dict):
    """A file's metadata and that of each further signal in it (kept under "signals")."""
    yield metadata or {}
    for signal in (metadata or {}).get("signals") or []:
        if isinstance(signal, dict) and isinstance(signal.get("metadata"), dict):
            yield signal["metadata"]


def _metadata_strings(metadata: dict):
    for part in _signals(metadata):
        for value in part.values():
            if isinstance(value, str) and len(value) <= MAX_INDEXED_STRING:
                yield value


def metadata_numbers(metadata: dict):
    """(key, base value) for every numeric canonical quantity in one file's metadata (any of its signals)."""
    for part in _signals(metadata):
        yield from _numbers(part)


def _numbers(metadata: dict):
    for key in PARAMETERS:
        value = metadata.get(key)
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


def _local(record: Record) -> tuple:
    session = record.session
    zone_name = session.instrument.timezone or "UTC"
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone_name, zone = "UTC", zoneinfo.ZoneInfo("UTC")
    return session.start.astimezone(zone), zone_name


class _Files:
    """What a record's files add to its document, gathered one file at a time (files are never all held)."""

    def __init__(self):
        self.formats, self.extensions, self.numbers = set(), set(), {}
        self.runs: list[str] = []  # their text, as token runs, each distinct run once
        self.seen: set[str] = set()

    def add(self, path: str, file_format: str, metadata: dict) -> None:
        if file_format:
            self.formats.add(file_format)
        name = path.rsplit("/", 1)[-1]
        if "." in name:
            self.extensions.add(name.rsplit(".", 1)[1].lower())
        for part in (path, *_metadata_strings(metadata)):
            _add_run(self.runs, self.seen, part)
        for key, value in metadata_numbers(metadata):
            self.numbers.setdefault(key, set()).add(value)


def _add_run(runs: list, seen: set, part: str, always: bool = False) -> None:
    run = " ".join(tokenize_text(part or ""))
    if always or (run and run not in seen):
        seen.add(run)
        runs.append(run)


def _facets(record: Record, files: _Files, local: datetime) -> list:
    session = record.session
    values = {
        ("instrument", session.instrument.pid),
        ("experimenter", session.user),
        ("year", f"{local:%Y}"),
        ("month", f"{local:%Y-%m}"),
    }
    if session.project:
        values.add(("project", session.project))
    formats = set(record.formats or []) | files.formats
    values |= {("format", str(fmt)) for fmt in formats}
    # Extensions are not shown as a facet; they let `format:dm3` find "DigitalMicrograph 3" files.
    values |= {("extension", extension) for extension in files.extensions}
    modes = set(record.modes or []) | {a.get("mode") for a in (record.data or {}).get("activities", [])}
    values |= {("mode", str(mode).lower()) for mode in modes if mode}
    return sorted([facet, value[:255]] for facet, value in values if value)


def _text(record: Record, files: _Files) -> str:
    """The record's parts as token runs: title first (relevance reads it), each distinct part once (the
    files' runs follow, as `_Files` gathered them); spaces at both ends, so every word of the text
    stands between two spaces."""
    session = record.session
    parts = [session.notes, session.sample, session.sample_id, session.sample_description,
             session.project, session.purpose, session.collaborators, session.user, session.instrument.pid,
             session.instrument.name]
    if session.account_id:
        parts.append(session.account.username)
    for activity in (record.data or {}).get("activities", []):
        parts.append(activity.get("notes") or "")
    runs, seen = [], set()
    _add_run(runs, seen, record.title, always=True)
    for part in parts:
        _add_run(runs, seen, part)
    runs += [run for run in files.runs if run not in seen]
    return " " + SEPARATOR.join(runs) + " "


def _document(record: Record, files: _Files) -> Document:
    local, zone_name = _local(record)
    session = record.session
    return Document(
        record_id=record.pk, start=session.start, day=local.date().toordinal(), timezone=zone_name,
        visibility=session.visibility, account_id=session.account_id, text=_text(record, files),
        facets=_facets(record, files, local),
        numbers={key: sorted(values) for key, values in sorted(files.numbers.items())},
    )


def documents_for(record_ids: list, using: str = "default") -> list:
    """The search documents of these records (those that exist), read fresh with two queries; the files
    are read in chunks, one session after the other, and each is dropped once gathered."""
    records = list(Record.objects.using(using).filter(pk__in=record_ids).select_related(
        "session__instrument", "session__account").defer("xml_text"))
    gathered = {record.session_id: _Files() for record in records}
    rows = DataFile.objects.using(using).filter(session_id__in=list(gathered)).order_by(
        "session_id", "acquired", "relative_path", "version")
    for session_id, path, file_format, metadata in rows.values_list("session_id", "relative_path", "format",
                                                                    "metadata").iterator(chunk_size=2000):
        gathered[session_id].add(path, file_format, metadata or {})
    return [_document(record, gathered[record.session_id]) for record in records]


def document_for(record: Record) -> Document:
    """The search document of `record`, read fresh from the database."""
    return documents_for([record.pk], record._state.db or "default")[0]
