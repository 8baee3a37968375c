"""Resumable uploads with tus 1.0 (creation, checksum): each chunk with its sha256, resumed after a drop.

The whole file's sha256 is announced at creation, so a repeated creation finds the same upload and the
server refuses to keep bytes that do not match. After a dropped connection, a 5xx, a checksum mismatch
or an offset conflict, the uploader asks the server for its offset (HEAD) and goes on from there; a
file counts as sent only when the server acknowledged its last byte, which it does once the file is
stored whole and checked. Requests go through the client's one HTTP layer (`Connection`).
"""
from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path
from typing import Callable

from lims_client.connection import Connection
from lims_client.errors import LimsError
from lims_client.records import sha256_of

TUS_VERSION = "1.0.0"
CHUNK_SIZE = 8 * 1024 * 1024
RETRIES = 8  # failed attempts in a row (no byte acknowledged meanwhile) before giving up
BACKOFF_SECONDS = 1.0
# Answers after which asking for the offset and sending again can succeed.
_AGAIN = {409, 423, 460}


def _metadata(fields: dict) -> str:
    return ",".join(f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in fields.items())


def _transient(error: LimsError) -> bool:
    """No answer at all, a server error, or an answer that asking for the offset resolves."""
    return error.status is None or error.status >= 500 or error.status in _AGAIN


class TusUploader:
    """Uploads files to one tus creation endpoint (`endpoint`) over `connection`.

    `say(text)` hears about drops and resumptions (the runner prints them); `sent(offset, size)` is
    called after each acknowledged chunk (the runner's heartbeat while it uploads).
    """

    def __init__(self, connection: Connection, endpoint: str, chunk_size: int = CHUNK_SIZE,
                 retries: int = RETRIES, backoff: float = BACKOFF_SECONDS, say: Callable[[str], None] | None = None,
                 sent: Callable[[int, int], None] | None = None):
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least one byte")
        self.connection, self.endpoint = connection, endpoint
        self.chunk_size, self.retries, self.backoff = chunk_size, retries, backoff
        self.say = say or (lambda text: None)
        self.sent = sent or (lambda offset, size: None)

    def _request(self, method: str, url: str, headers: dict | None = None, content: bytes | None = None):
        return self.connection.request(method, url, headers={"Tus-Resumable": TUS_VERSION, **(headers or {})},
                                       content=content)

    def _create(self, size: int, metadata: dict) -> tuple[str, int]:
        answer = self._request("POST", self.endpoint, {"Upload-Length": str(size),
                                                        "Upload-Metadata": _metadata(metadata)})
        return answer.headers["Location"], int(answer.headers["Upload-Offset"])

    def _offset(self, location: str) -> int:
        return int(self._request("HEAD", location).headers["Upload-Offset"])

    def _patch(self, location: str, offset: int, chunk: bytes) -> int:
        checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        answer = self._request("PATCH", location, {
            "Upload-Offset": str(offset), "Upload-Checksum": f"sha256 {checksum}",
            "Content-Type": "application/offset+octet-stream"}, chunk)
        return int(answer.headers["Upload-Offset"])

    def upload(self, path: Path, name: str, **metadata) -> str:
        """Send one file as `name` (with extra tus metadata, e.g. session=...); returns its sha256 once stored."""
        path = Path(path)
        size, sha256 = path.stat().st_size, sha256_of(path)
        fields = {**metadata, "filename": name, "sha256": sha256, "mtime": f"{path.stat().st_mtime:.3f}"}
        location, offset, failures = None, None, 0
        with open(path, "rb") as handle:
            while True:
                try:
                    if location is None:
                        location, offset = self._create(size, fields)
                    elif offset is None:
                        offset = self._offset(location)
                        self.say(f"{name}: resuming at byte {offset} of {size}")
                    if offset >= size:
                        return sha256
                    handle.seek(offset)
                    offset = self._patch(location, offset, handle.read(self.chunk_size))
                    failures = 0
                    self.sent(offset, size)
                except LimsError as exc:
                    failures += 1
                    creating = location is None and exc.status is not None and exc.status < 500
                    if creating or not _transient(exc) or failures > self.retries:
                        raise
                    self.say(f"{name}: {exc}; asking the server how far it got")
                    time.sleep(self.backoff * min(failures, 10))
                    offset = None
