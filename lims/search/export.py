"""A CSV of the records a search finds, with the columns the reader chose, streamed row by row.

Times are given in the instrument's time zone with their UTC offset. Cells that a spreadsheet
would read as a formula (starting with = + - @) get a leading apostrophe.
"""
import csv
import io

from django.http import StreamingHttpResponse

from lims.instruments import times
from lims.records.permissions import visible_records
from lims.search.service import matching_record_ids

# Column -> how to read it from a record.
COLUMNS = {
    "id": lambda r, base: r.pk,
    "url": lambda r, base: f"{base}{r.get_absolute_url()}",
    "title": lambda r, base: r.title,
    "instrument": lambda r, base: r.session.instrument.pid,
    "experimenter": lambda r, base: r.session.user,
    "project": lambda r, base: r.session.project,
    "sample": lambda r, base: r.session.sample,
    "start": lambda r, base: _local(r, r.session.start),
    "end": lambda r, base: _local(r, r.session.end),
    "files": lambda r, base: r.file_count,
    "errors": lambda r, base: r.error_count,
    "activities": lambda r, base: r.activity_count,
    "formats": lambda r, base: " ".join(r.formats or []),
    "modes": lambda r, base: " ".join(r.modes or []),
    "visibility": lambda r, base: r.session.visibility,
}
DEFAULT_COLUMNS = ("id", "title", "instrument", "experimenter", "project", "sample", "start", "files", "url")
BATCH = 500
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class ColumnError(ValueError):
    """A column name that the export does not know."""


def _local(record, moment) -> str:
    return times.iso(moment, record.session.instrument.timezone, timespec="seconds") or ""


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def columns_from(text: str) -> list:
    """'id,title' -> the columns; the defaults when empty; ColumnError for an unknown one."""
    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ColumnError(f"Unknown column {unknown[0][:40]!r}: choose from {', '.join(COLUMNS)}.")
    return list(dict.fromkeys(names)) or list(DEFAULT_COLUMNS)


def csv_lines(user, query_text: str, columns: list, base_url: str):
    """The CSV, a few lines at a time: a header, then one row per matching record, newest first."""
    ids = matching_record_ids(user, query_text)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    records = visible_records(user).select_related("session__instrument").defer("xml_text", "data")
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        by_id = records.in_bulk(chunk)
        for record_id in chunk:
            if record_id in by_id:
                writer.writerow([_cell(COLUMNS[name](by_id[record_id], base_url)) for name in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_download(request, q: str, columns: list) -> StreamingHttpResponse:
    """The streamed CSV response for a query and columns already checked."""
    base = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(csv_lines(request.user, q, columns, base), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="records.csv"'
    return response
