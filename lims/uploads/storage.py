"""Where upload bytes go: safe relative paths, streaming chunks into .part files, final placement.

Chunks are streamed from the request in 1 MiB pieces straight into the upload's .part file at
its offset, hashing as they go; on a checksum mismatch (or any error) the file is truncated back
to the offset it had, so nothing half-written stays. Whole-file sha256: the running hash of an
upload is kept in this process between its chunks (see `RunningHashes`), so a file sent in many
requests is hashed once as it arrives; only when a chunk lands on another server process, or
after a restart, is the completed .part file read once more. Chunks are flushed to the operating
system, not forced to disk one by one: the finished file is fsynced when it is placed
(lims/sessions/storage.py), and an offset that a power cut made larger than the .part file is
corrected (see `services`).
"""
import base64
import binascii
import fcntl
import hashlib
import re
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

PIECE = 1024 * 1024
MAX_PATH_LENGTH = 1024
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePath(ValueError):
    """A file name that could escape its folder or is not a usable relative path."""


def safe_relative_path(name: str) -> str:
    """A clean `/`-separated relative path, or UnsafePath saying what is wrong.

    >>> safe_relative_path("run1\\\\a.dm3")
    'run1/a.dm3'
    """
    if not name or not name.strip():
        raise UnsafePath("The file name is empty.")
    if _CONTROL.search(name):
        raise UnsafePath("The file name contains control characters (such as NUL).")
    name = name.replace("\\", "/")
    if name.startswith("/"):
        raise UnsafePath(f"{name!r} is an absolute path; send the path relative to the watched folder.")
    if _DRIVE.match(name):
        raise UnsafePath(f"{name!r} starts with a drive letter; send the path relative to the watched folder.")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafePath(f"{name!r} contains '..'; paths may not leave the session folder.")
    if not parts or any(not part.strip() for part in parts):
        raise UnsafePath(f"{name!r} has an empty file or folder name.")
    clean = str(PurePosixPath(*parts))
    if len(clean) > MAX_PATH_LENGTH:
        raise UnsafePath(f"The file name is longer than {MAX_PATH_LENGTH} characters.")
    return clean


def target_inside(folder: Path, relative: str) -> Path:
    """`folder/relative`, refusing anything (a symlink, say) that resolves outside `folder`."""
    folder = folder.resolve()
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder) or target == folder:
        raise UnsafePath(f"{relative!r} resolves outside the session folder.")
    return target


def parse_checksum(header: str | None):
    """(`hashlib` constructor, expected digest bytes) from `Upload-Checksum: sha256 <base64>`, or None."""
    if not header:
        return None
    algorithm, _, value = header.strip().partition(" ")
    constructor = CHECKSUM_ALGORITHMS.get(algorithm.lower())
    if constructor is None:
        raise ValueError(f"Unsupported checksum algorithm {algorithm!r}; use one of {', '.join(CHECKSUM_ALGORITHMS)}.")
    try:
        return constructor, base64.b64decode(value.strip(), validate=True)
    except binascii.Error:
        raise ValueError("Upload-Checksum must be '<algorithm> <base64 digest>'.") from None


class ChunkResult:
    """What one PATCH wrote: bytes appended, whether the chunk checksum matched, whole-file hash."""

    def __init__(self, written: int, checksum_ok: bool, whole_sha256: str | None, whole=None):
        self.written = written
        self.checksum_ok = checksum_ok
        self.whole_sha256 = whole_sha256
        self.whole = whole  # the running whole-file hash object, to continue with the next chunk


class RunningHashes:
    """Whole-file sha256 objects of uploads in progress, by (upload id, offset they reached).

    hashlib objects cannot be stored in the database, so they live in this process, bounded.
    """

    def __init__(self, limit: int = 256):
        self.limit = limit
        self._by_key = {}

    def take(self, upload_id, offset: int):
        """The hash of the first `offset` bytes (a fresh one at 0), or None when not kept here."""
        if offset == 0:
            return hashlib.sha256()
        return self._by_key.pop((upload_id, offset), None)

    def keep(self, upload_id, offset: int, whole) -> None:
        if len(self._by_key) >= self.limit:
            self._by_key.pop(next(iter(self._by_key)))
        self._by_key[(upload_id, offset)] = whole


RUNNING_HASHES = RunningHashes()


@contextmanager
def locked(part: Path):
    """The .part file opened for writing under an exclusive lock; BlockingIOError if another request has it."""
    with open(part, "r+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_chunk(handle, offset: int, stream, limit: int, checksum=None, whole=None) -> ChunkResult:
    """Write the body in `stream` into the open .part `handle` at `offset` (at most `limit` bytes).

    Hashes on the way. With a checksum, a mismatch or an interrupted body leaves the file exactly
    as it was (truncated back). Without one, bytes that arrived before an interruption are kept
    (tus allows it) and the error is raised after the file is flushed, with `.written` set on it.
    """
    if whole is None and offset == 0:
        whole = hashlib.sha256()
    chunk_hash = checksum[0]() if checksum else None
    if offset == 0 and checksum and checksum[0] is hashlib.sha256:
        chunk_hash = whole  # a sha256 chunk from byte 0 is the start of the whole file: hash once
    written = 0
    handle.truncate(offset)
    handle.seek(offset)
    try:
        while True:
            piece = stream.read(PIECE)
            if not piece:
                break
            if written + len(piece) > limit:
                raise OverflowError(f"The chunk goes past Upload-Length ({limit} bytes were left).")
            handle.write(piece)
            written += len(piece)
            if chunk_hash is not None:
                chunk_hash.update(piece)
            if whole is not None and whole is not chunk_hash:
                whole.update(piece)
    except Exception as exc:
        if checksum or isinstance(exc, OverflowError):
            handle.truncate(offset)
        else:
            handle.flush()
            exc.written = written
        raise
    if chunk_hash is not None and chunk_hash.digest() != checksum[1]:
        handle.truncate(offset)
        return ChunkResult(0, False, None)
    handle.flush()
    return ChunkResult(written, True, whole.hexdigest() if whole is not None else None, whole)


def create_part(part: Path) -> None:
    part.parent.mkdir(parents=True, exist_ok=True)
    part.touch(exist_ok=True)
