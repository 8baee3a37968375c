"""File, preview, XML, JSON and streamed ZIP responses for a record the caller may already see."""
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from zipstream import ZipStream

from lims.sessions.models import DataFile

ZIP_CHUNK = 64 * 1024


def record_json(record) -> dict:
    """The record as plain data: summary, activities and every file with its metadata."""
    session = record.session
    files = DataFile.objects.filter(session_id=session.pk).order_by("activity", "acquired", "relative_path", "version")
    return {
        "id": record.pk,
        "title": record.title,
        "session": str(session.pk),
        "instrument": session.instrument.pid,
        "experimenter": session.user,
        "sample": session.sample,
        "sample_id": session.sample_id,
        "project": session.project,
        "purpose": session.purpose,
        "notes": session.notes,
        "visibility": session.visibility,
        "start": session.start.isoformat(),
        "end": session.end.isoformat() if session.end else None,
        "schema_version": record.schema_version,
        "built": record.built.isoformat(),
        "file_count": record.file_count,
        "error_count": record.error_count,
        "activity_count": record.activity_count,
        "formats": record.formats,
        "modes": record.modes,
        "activities": (record.data or {}).get("activities", []),
        "files": [file_json(f) for f in files],
    }


def file_json(data_file) -> dict:
    return {
        "id": data_file.pk,
        "name": data_file.relative_path,
        "version": data_file.version,
        "size": data_file.size,
        "sha256": data_file.sha256,
        "format": data_file.format,
        "signal_type": data_file.signal_type,
        "acquired": data_file.acquired.isoformat() if data_file.acquired else None,
        "activity": data_file.activity,
        "metadata": data_file.metadata,
        "warnings": data_file.warnings,
        "error": data_file.error,
        "has_preview": bool(data_file.preview),
    }


def _download_name(name: str) -> str:
    return Path(name).name or "file"


def file_response(data_file) -> FileResponse:
    path = data_file.absolute_path
    if not path.is_file():
        raise Http404("The file is not in storage.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=_download_name(data_file.relative_path))


def _signal_index(value) -> int:
    """The `signal` query parameter: 0 (the main signal) unless a whole number is given."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        raise Http404("No such signal.") from None


def preview_response(data_file, signal=None) -> FileResponse:
    """The PNG preview of the file's main signal or of its further signal `signal` (1, 2 ...), refusing
    any stored path that would leave DATA_ROOT."""
    from records.process import signal_preview_path

    if not data_file.preview:
        raise Http404("This file has no preview.")
    index = _signal_index(signal)
    further = (data_file.metadata or {}).get("signals") or []
    if index and (index > len(further) or not further[index - 1].get("preview")):
        raise Http404("This signal has no preview.")
    root = Path(settings.DATA_ROOT).resolve()
    path = (root / data_file.preview).resolve()
    if index:
        path = signal_preview_path(path, index)
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("The preview is not in storage.")
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def xml_response(record, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(record.xml, content_type="application/xml; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.xml"'
    return response


def json_response(record) -> HttpResponse:
    body = json.dumps(record_json(record), indent=1)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.json"'
    return response


def zip_response(record) -> StreamingHttpResponse:
    """The record's files, XML and JSON as one ZIP, streamed in constant memory with a known length."""
    stream = ZipStream(compress_type=zipfile.ZIP_STORED, sized=True)
    session = record.session
    files = DataFile.objects.filter(session_id=session.pk).select_related("session__instrument")
    files = files.order_by("relative_path", "version")
    for data_file in files.iterator(chunk_size=2000):
        path = data_file.absolute_path
        if path.is_file():
            stream.add_path(str(path), f"files/{data_file.stored_name}")
    stream.add(record.xml.encode(), "record.xml")
    stream.add(json.dumps(record_json(record), indent=1).encode(), "record.json")
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.zip"'
    return response
