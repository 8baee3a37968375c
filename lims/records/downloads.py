"""File, preview, XML, JSON and streamed ZIP responses for a record the caller may already see."""
import json
import zipfile
from pathlib import Path, PurePosixPath

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from zipstream import ZipStream

from lims.records.serializers import RecordDetailSerializer
from lims.sessions import objects
from lims.sessions.models import DataFile

ZIP_CHUNK = 64 * 1024


def record_json(record, request=None) -> dict:
    """The record as plain data, the same shape as the API's record: summary, activities, every file."""
    return RecordDetailSerializer(record, context={"request": request}).data


def _download_name(name: str) -> str:
    return Path(name).name or "file"


def _streamed(key: str, content_type: str | None = None, filename: str | None = None) -> FileResponse:
    """The stored bytes of `key`, streamed with their length; 404 when nothing is stored under it."""
    try:
        length = objects.size(key)
    except ValueError:
        length = None
    if length is None:
        raise Http404("The file is not in storage.")
    try:
        body = objects.response_body(key)
    except FileNotFoundError:  # removed since it was measured
        raise Http404("The file is not in storage.") from None
    response = FileResponse(body, content_type=content_type, as_attachment=bool(filename), filename=filename or "")
    response["Content-Length"] = str(length)
    return response


def file_response(data_file) -> FileResponse:
    return _streamed(data_file.storage_key, filename=_download_name(data_file.relative_path))


def _signal_index(value) -> int:
    """The `signal` query parameter: 0 (the main signal) unless a whole number is given."""
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        raise Http404("No such signal.") from None


def preview_response(data_file, signal=None) -> FileResponse:
    """The PNG preview of the file's main signal or of its further signal `signal` (1, 2 ...), refusing
    any stored name that would leave the store (`objects.clean_key`)."""
    from records.process import signal_preview_path

    if not data_file.preview:
        raise Http404("This file has no preview.")
    index = _signal_index(signal)
    further = (data_file.metadata or {}).get("signals") or []
    if index and (index > len(further) or not further[index - 1].get("preview")):
        raise Http404("This signal has no preview.")
    key = data_file.preview
    if index:
        key = signal_preview_path(PurePosixPath(key), index).as_posix()
    response = _streamed(key, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def xml_response(record, attachment: bool = False) -> StreamingHttpResponse:
    """The record's XML, streamed from where it is kept."""
    response = StreamingHttpResponse(record.xml_chunks(), content_type="application/xml; charset=utf-8")
    response["Content-Length"] = str(record.xml_size())
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.xml"'
    return response


def json_response(record, request=None) -> HttpResponse:
    body = json.dumps(record_json(record, request), indent=1)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.json"'
    return response


def zip_response(record, request=None) -> StreamingHttpResponse:
    """The record's files, XML and JSON as one ZIP, streamed in constant memory with a known length."""
    stream = ZipStream(compress_type=zipfile.ZIP_STORED, sized=True)
    session = record.session
    files = DataFile.objects.filter(session_id=session.pk).select_related("session__instrument")
    files = files.order_by("relative_path", "version")
    for data_file in files.iterator(chunk_size=2000):
        key = data_file.storage_key
        length = objects.size(key)
        if length is not None:
            stream.add(objects.chunks(key, ZIP_CHUNK), f"files/{data_file.stored_name}", size=length)
    stream.add(record.xml_chunks(), "record.xml", size=record.xml_size())
    stream.add(json.dumps(record_json(record, request), indent=1).encode(), "record.json")
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = str(len(stream))
    response["Content-Disposition"] = f'attachment; filename="record-{record.pk}.zip"'
    return response
