"""The metadata table of a record: chosen metadata columns across all its files, as a page and as CSV.

The page sorts and filters in the browser (every row carries a sortable value); the CSV holds the
same columns, quantities in one unit per column, streamed row by row.
"""
import csv
import math

from django.http import StreamingHttpResponse
from django.shortcuts import render

from records.units import to_base

from lims.core.authentication import token_or_session
from lims.instruments import times
from lims.records import display
from lims.records.permissions import visible_record_or_404
from lims.sessions.models import DataFile

DEFAULT_COLUMNS = 6  # when none are chosen: the keys whose values differ most between files
MAX_COLUMNS = 40
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet programs run cells starting with these


def _files(record):
    return (DataFile.objects.filter(session_id=record.session_id)
            .order_by("activity", "acquired", "relative_path", "version")
            .values_list("id", "relative_path", "version", "activity", "acquired", "format", "metadata"))


def _available(rows) -> tuple[list[str], list[str]]:
    """Every key present in some file (settings first, then file facts), and the defaults: most varied first."""
    values: dict[str, set] = {}
    for *_, metadata in rows:
        for key, value in (metadata or {}).items():
            if key not in display.SHOWN_ELSEWHERE:
                values.setdefault(key, set()).add(repr(value)[:200])
    keys = sorted(values, key=lambda k: (k in display.FILE_FACTS, display.label(k).lower()))
    varied = sorted((k for k in keys if k not in display.FILE_FACTS and len(values[k]) > 1),
                    key=lambda k: (-len(values[k]), display.label(k).lower()))
    return keys, varied[:DEFAULT_COLUMNS]


def _chosen(request, available: list[str], defaults: list[str]) -> list[str]:
    asked = [key for part in request.GET.getlist("columns") for key in part.split(",") if key]
    chosen = [key for key in dict.fromkeys(asked) if key in available][:MAX_COLUMNS]
    return chosen or defaults


def _sort_value(value) -> str:
    """A value the page sorts by: quantities in base units, numbers as numbers, the rest as text."""
    try:
        if isinstance(value, dict) and "value" in value and "unit" in value:
            number = to_base(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            return ""
    except Exception:  # noqa: BLE001 - an odd unit sorts as text
        return ""
    return repr(number) if math.isfinite(number) else ""


def _cells(metadata: dict, columns: list[str]) -> list[dict]:
    metadata = metadata or {}
    return [{"text": display.in_column_unit(key, metadata.get(key)) if key in metadata else "",
             "sort": _sort_value(metadata.get(key))} for key in columns]


def _heading(key: str) -> str:
    unit = display.column_unit(key)
    return f"{display.label(key)} ({display.unit_symbol(unit)})" if unit else display.label(key)


def _sheet(request, record_id: int) -> tuple:
    """The record, its instrument's zone, its files' rows, the keys on offer and the chosen columns."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    rows = list(_files(record))
    available, defaults = _available(rows)
    return record, record.session.instrument.timezone, rows, available, _chosen(request, available, defaults)


def metadata_table(request, record_id: int):
    """/records/<id>/table/?columns=a,b: a sortable, filterable sheet of the record's files."""
    record, zone, rows, available, columns = _sheet(request, record_id)
    table = [{"id": file_id, "name": path, "version": version, "activity": activity or "",
              "when": times.local(acquired, zone), "sort_when": acquired.isoformat() if acquired else "",
              "format": fmt, "cells": _cells(metadata, columns)}
             for file_id, path, version, activity, acquired, fmt, metadata in rows]
    return render(request, "records/table.html", {
        "record": record, "zone": zone, "rows": table,
        "columns": [{"key": key, "label": _heading(key)} for key in columns],
        "choices": [{"key": key, "label": display.label(key), "chosen": key in columns} for key in available],
        "csv_query": ",".join(columns),
    })


def _csv_text(value) -> str:
    text = display.value_text("", value)
    return f"'{text}" if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def _csv_value(key: str, value):
    """A cell: a quantity as a number in the column's unit (as the page shows it), else its text."""
    magnitude = display.column_number(key, value)
    if magnitude is not None:
        return magnitude
    return _csv_text(value) if value is not None else ""


class _Echo:
    def write(self, value):
        return value


@token_or_session
def metadata_csv(request, record_id: int):
    """/records/<id>/table.csv?columns=a,b: the same sheet as CSV (UTF-8), one row per file."""
    record, zone, rows, _available_keys, columns = _sheet(request, record_id)
    header = ["file", "version", "activity", f"acquired ({zone})", "format"] + [_heading(key) for key in columns]

    def lines():
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for _id, path, version, activity, acquired, fmt, metadata in rows:
            metadata = metadata or {}
            yield writer.writerow([_csv_text(path), version, activity or "", times.iso(acquired, zone) or "", fmt] +
                                  [_csv_value(key, metadata.get(key)) for key in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}-metadata.csv"'
    return response
