"""Upload lifecycle: create (idempotent), receive a chunk, finish into a versioned DataFile.

An upload is complete (its offset reaches its length, which HEAD and PATCH report) only in the
same transaction that records its DataFile, after the bytes were placed: whatever fails on the
way (the database, the disk) leaves the offset where it was, so the client sends the last chunk
again. A name the file system cannot hold is stored under a safe name (lims/sessions/storage.py).

Files may still arrive after a session ended. If one completes after its session's build has
started or finished, the session is handed back and its build queued again (builds.queue_build),
so the record always includes every file that arrived.
"""
import base64
import binascii
import os
import re
from datetime import datetime, timedelta, timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from lims.core.exceptions import ChecksumMismatch, Conflict, PayloadTooLarge
from lims.records.pipeline import schedule_extraction
from lims.sessions import builds, objects
from lims.sessions import storage as files
from lims.sessions.models import DataFile, Session, clamp_client_time
from lims.uploads import storage
from lims.uploads.models import Upload

UPLOADABLE_STATES = [Session.State.ACTIVE, Session.State.ENDED]
# An incomplete upload untouched this long is abandoned by `remove_stale_uploads`.
STALE_UPLOAD_DAYS = 7
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DIGITS = re.compile(r"^[0-9]{1,20}$")  # ASCII only: "²".isdigit() is True, int("²") fails
EPOCH = datetime(1970, 1, 1, tzinfo=dt_timezone.utc)


def parse_offset(header: str | None, name: str = "Upload-Offset") -> int:
    """A non-negative integer header in ASCII digits, or a 400 naming it."""
    if header is None or not _DIGITS.match(header.strip()):
        raise ValidationError({name: f"{header!r} is not a non-negative integer."})
    return int(header)


def parse_metadata(header: str | None) -> dict:
    """`Upload-Metadata: key base64,key2 base64` as a dict of decoded strings."""
    values = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ValidationError({"Upload-Metadata": f"The value of {key!r} is not base64 of UTF-8 text."}) from None
        if "\x00" in key:
            raise ValidationError({"Upload-Metadata": "A key contains a NUL character."})
        if "\x00" in value:
            raise ValidationError({key: "The value contains a NUL character, which cannot be stored."})
        values[key] = value
    return values


def parse_length(header: str | None) -> int:
    if header is None:
        raise ValidationError(
            {"Upload-Length": "Missing; send the file size in bytes (deferred length is not supported)."}
        )
    length = parse_offset(header, "Upload-Length")
    if length > settings.UPLOAD_MAX_SIZE:
        raise PayloadTooLarge(f"The file has {length} bytes; this server accepts at most {settings.UPLOAD_MAX_SIZE}.")
    return length


def _mtime(value: str | None):
    """The client's modification time of the file, clamped to [1970, now]."""
    if not value:
        return None
    try:
        return clamp_client_time(datetime.fromtimestamp(float(value), tz=dt_timezone.utc), earliest=EPOCH)
    except (ValueError, OverflowError, OSError):
        raise ValidationError({"mtime": f"{value!r} is not seconds since the epoch."}) from None


def validate_request(session: Session, metadata: dict) -> dict:
    """The checked fields of a creation request: relative path, sha256, mtime."""
    try:
        relative = storage.safe_relative_path(metadata.get("filename", ""))
        storage.target_inside(session.storage_dir, relative)
    except storage.UnsafePath as exc:
        raise ValidationError({"filename": str(exc)}) from None
    sha256 = metadata.get("sha256", "").strip().lower()
    if sha256 and not _SHA256.match(sha256):
        raise ValidationError({"sha256": "Send the whole file's sha256 as 64 hex digits."})
    return {"relative_path": relative, "sha256": sha256, "mtime": _mtime(metadata.get("mtime"))}


def create_upload(session: Session, length: int, metadata: dict) -> Upload:
    """A new upload, or the existing one for the same session, path, length and announced sha256."""
    if session.state not in UPLOADABLE_STATES:
        raise Conflict(
            f"Session {session.pk} is {session.state}: its record is being built or done; "
            "files can no longer be added.",
            code="session_closed",
        )
    fields = validate_request(session, metadata)
    existing = _same_announced_file(session, length, fields)
    if existing is not None:
        return existing
    upload = Upload(session=session, length=length, metadata=metadata, **fields)
    storage.create_part(upload.part_path)
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError:
        # A concurrent creation of the same announced file won; answer with its upload.
        files.remove(upload.part_path)
        return _same_announced_file(session, length, fields)
    except Exception:
        files.remove(upload.part_path)
        raise
    if length == 0:
        try:
            finish(upload, None, 0)
        except Exception:
            # Not stored: forget the upload, so that the client's retry creates it afresh.
            Upload.objects.filter(pk=upload.pk, completed__isnull=True).delete()
            files.remove(upload.part_path)
            raise
    return upload


def _same_announced_file(session: Session, length: int, fields: dict) -> Upload | None:
    if not fields["sha256"]:
        return None
    return Upload.objects.filter(
        session=session, relative_path=fields["relative_path"], length=length, sha256=fields["sha256"]
    ).first()


def receive_chunk(upload: Upload, offset: int, stream, checksum) -> Upload:
    """Write one PATCH body at `offset`; finishes the upload when its last byte arrived."""
    if upload.is_complete:
        if offset != upload.length:
            raise Conflict(f"Upload-Offset is {offset} but the upload is complete at {upload.length}.", code="offset")
        return upload
    if not upload.part_path.exists():
        return _missing_part(upload, offset)
    try:
        with storage.locked(upload.part_path) as handle:
            upload.refresh_from_db(fields=["offset", "completed"])
            if upload.is_complete and offset == upload.length:
                return upload
            _match_part_size(upload, handle)
            if offset != upload.offset:
                raise Conflict(f"Upload-Offset is {offset} but the upload is at {upload.offset}.", code="offset")
            whole = storage.RUNNING_HASHES.take(upload.pk, offset)
            try:
                result = storage.write_chunk(handle, offset, stream, upload.length - offset, checksum, whole)
            except OverflowError as exc:
                raise ValidationError({"Upload-Offset": str(exc)}) from None
            except Exception as exc:
                written = getattr(exc, "written", 0)
                if offset + written < upload.length:  # the last byte is only acknowledged by finish
                    _advance(upload, offset, written)
                raise
            if not result.checksum_ok:
                raise ChecksumMismatch("The chunk does not match its Upload-Checksum; it was discarded.")
            if offset + result.written == upload.length:
                finish(upload, result.whole_sha256, offset)
            else:
                _advance(upload, offset, result.written)
                if result.whole is not None:
                    storage.RUNNING_HASHES.keep(upload.pk, upload.offset, result.whole)
    except BlockingIOError:
        raise Conflict(
            "Another request is writing to this upload; ask for its offset and retry.", code="busy"
        ) from None
    return upload


def _match_part_size(upload: Upload, handle) -> None:
    """After a power cut the .part file may hold fewer bytes than the offset said: go back to them."""
    size = os.fstat(handle.fileno()).st_size
    if size < upload.offset:
        Upload.objects.filter(pk=upload.pk).update(offset=size, updated=timezone.now())
        upload.offset = size


def _missing_part(upload: Upload, offset: int) -> Upload:
    """No .part file: a concurrent request finished the upload, or its bytes were lost (start again)."""
    upload.refresh_from_db(fields=["offset", "completed"])
    if upload.is_complete:
        if offset == upload.length:
            return upload
        raise Conflict(f"Upload-Offset is {offset} but the upload is complete at {upload.length}.", code="offset")
    storage.create_part(upload.part_path)
    Upload.objects.filter(pk=upload.pk).update(offset=0, updated=timezone.now())
    raise Conflict("The bytes received so far were lost; the upload starts again at 0.", code="offset")


def _advance(upload: Upload, old: int, written: int) -> None:
    if not written:
        return
    changed = Upload.objects.filter(pk=upload.pk, offset=old).update(offset=old + written, updated=timezone.now())
    if changed != 1:
        raise Conflict("The upload's offset moved meanwhile; ask for its offset and retry.", code="offset")
    upload.offset = old + written


def _reset(upload: Upload) -> None:
    with open(upload.part_path, "r+b") as handle:
        handle.truncate(0)
    Upload.objects.filter(pk=upload.pk).update(offset=0, updated=timezone.now())
    upload.offset = 0


def finish(upload: Upload, whole_sha256: str | None, from_offset: int) -> DataFile:
    """Check the whole file, store it (`lims.sessions.objects`) and record its DataFile (or reuse one).

    The upload becomes complete (offset = length) in the transaction that records the DataFile,
    and only after the bytes are in place; the .part file goes once that has committed. If
    anything fails, the placed copy is removed and the upload stays at `from_offset`.
    """
    sha256 = whole_sha256 or files.sha256_of(upload.part_path)
    if upload.sha256 and sha256 != upload.sha256:
        _reset(upload)
        raise ChecksumMismatch(
            f"The file's sha256 is {sha256}, not the announced {upload.sha256}; the upload starts again at 0."
        )
    placed = None
    try:
        with transaction.atomic():
            session = Session.objects.select_for_update().select_related("instrument").get(pk=upload.session_id)
            datafile, placed = _datafile(session, upload, sha256)
            now = timezone.now()
            completed = Upload.objects.filter(pk=upload.pk, completed__isnull=True, offset=from_offset).update(
                datafile=datafile, completed=now, offset=upload.length, updated=now
            )
            if completed != 1:
                raise Conflict("The upload moved meanwhile; ask for its offset and retry.", code="offset")
            if session.state not in UPLOADABLE_STATES:
                builds.queue_build(session, rebuild=True)  # a late file: the record is built again
            elif session.state == Session.State.ACTIVE and placed is not None:
                schedule_extraction(datafile)  # read at once, for the live session page
    except BaseException:
        if placed is not None:
            objects.remove(placed)
        raise
    files.remove(upload.part_path)
    upload.datafile, upload.completed, upload.offset = datafile, now, upload.length
    return datafile


def _datafile(session: Session, upload: Upload, sha256: str):
    """(DataFile, key stored or None): the version with these bytes, or a new version stored."""
    versions = list(DataFile.objects.filter(session=session, relative_path=upload.relative_path))
    existing = next((f for f in versions if f.sha256 == sha256), None)
    if existing is not None:
        return existing, None
    datafile = DataFile(
        session=session,
        relative_path=upload.relative_path,
        version=max((f.version for f in versions), default=0) + 1,
        size=upload.length,
        sha256=sha256,
        mtime=upload.mtime,
        acquired=upload.mtime,
    )
    datafile.stored_as = files.stored_as(datafile)
    storage.target_inside(session.storage_dir, datafile.storage_name)
    datafile.save()
    objects.put(upload.part_path, datafile.storage_key, keep_source=True)
    return datafile, datafile.storage_key


def abandon(upload: Upload) -> None:
    if upload.is_complete:
        raise Conflict("This upload is complete; its file is kept.", code="upload_complete")
    files.remove(upload.part_path)
    upload.delete()


def remove_stale_uploads(now=None) -> int:
    """Abandon incomplete uploads untouched for STALE_UPLOAD_DAYS, freeing their .part files."""
    now = now or timezone.now()
    stale = Upload.objects.filter(completed__isnull=True, updated__lt=now - timedelta(days=STALE_UPLOAD_DAYS))
    count = 0
    for upload in stale:
        files.remove(upload.part_path)
        upload.delete()
        count += 1
    return count
