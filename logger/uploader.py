"""A tus 1.0 client: sends one file in chunks, resumes from the server's offset, retries with backoff.

Memory stays constant: the file is streamed one chunk at a time, never read whole. While one
chunk is on its way, the next one is read and hashed in a background thread, so reading and
hashing overlap with the server's work; at most two chunks are held.
"""
import base64
import binascii
import hashlib
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

from .api import Http, Offline, error_from

TUS_VERSION = "1.0.0"
UPLOADS_PATH = "uploads/"
HASH_BLOCK = 1024 * 1024
STATUS_CHECKSUM_MISMATCH = 460

log = logging.getLogger(__name__)


class FileChanged(Exception):
    """The file on disk no longer matches what was announced (it changed or vanished)."""


def file_sha256(path, block=HASH_BLOCK):
    """Hex sha256 of a file, read block by block."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while True:
            data = handle.read(block)
            if not data:
                break
            digest.update(data)
    return digest.hexdigest()


def _b64_digest(digest):
    return base64.b64encode(digest).decode("ascii")


class _ChunkReader(object):
    """Chunks of an open file with their base64 sha256, the next one read ahead in a thread.

    A chunk that is the whole file takes the file's announced sha256 instead of a second hash
    pass: if the bytes changed meanwhile, the server refuses the chunk and the file is re-read.
    """

    def __init__(self, handle, length, chunk_size, sha256):
        self.handle = handle
        self.length = length
        self.chunk_size = chunk_size
        self.sha256 = sha256
        self._executor = ThreadPoolExecutor(max_workers=1)
        self._ahead = None   # (offset, future) of the chunk being read ahead

    def _read(self, offset):
        self.handle.seek(offset)
        chunk = self.handle.read(min(self.chunk_size, self.length - offset))
        if offset == 0 and len(chunk) == self.length and self.sha256:
            return chunk, _b64_digest(binascii.unhexlify(self.sha256))
        return chunk, _b64_digest(hashlib.sha256(chunk).digest())

    def get(self, offset):
        """(bytes, base64 sha256) of the chunk at `offset`; starts reading the chunk after it."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == offset:
            chunk, checksum = ahead[1].result()
        else:
            if ahead is not None:
                ahead[1].result()   # the handle is free again once that read is over
            chunk, checksum = self._read(offset)
        following = offset + len(chunk)
        if chunk and following < self.length:
            self._ahead = (following, self._executor.submit(self._read, following))
        return chunk, checksum

    def close(self):
        self._executor.shutdown(wait=True)


def _b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def encode_metadata(pairs):
    """tus Upload-Metadata: comma-separated `key base64(value)` pairs, keys in the given order."""
    return ",".join("{0} {1}".format(key, _b64(str(value))) for key, value in pairs)


class Result(object):
    """How one upload went: its Location, its final offset and where this run started from."""

    def __init__(self, url, length, resumed_from):
        self.url = url
        self.length = length
        self.resumed_from = resumed_from


class Uploader(object):
    """Sends files to the server's tus endpoint with the instrument token."""

    def __init__(self, server, token, chunk_size=16 * 1024 * 1024, timeout=30.0, retries=5,
                 backoff=0.5, max_backoff=30.0, sleep=time.sleep):
        self.http = Http(server, token, timeout)
        self.chunk_size = chunk_size
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep

    def _tus(self, method, path, body=None, headers=None):
        """A tus request, retried with exponential backoff on network errors and 5xx answers."""
        all_headers = {"Tus-Resumable": TUS_VERSION}
        all_headers.update(headers or {})
        delay = self.backoff
        attempt = 0
        while True:
            try:
                status, answer, data = self.http.request(method, path, body, all_headers)
                if status < 500:
                    return status, answer, data
                problem = Offline("the server answered HTTP {0} to {1}".format(status, method))
            except Offline as exc:
                problem = exc
            attempt += 1
            if attempt > self.retries:
                raise problem
            log.warning("%s; retry %d of %d in %.1f s", problem, attempt, self.retries, delay)
            self.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    def create(self, session_id, relative, length, sha256, mtime=None):
        """POST a new upload (or find the identical one the server already has): (url, offset)."""
        pairs = [("session", session_id), ("filename", relative), ("sha256", sha256)]
        if mtime is not None:
            pairs.append(("mtime", "{0:.3f}".format(mtime)))
        status, answer, data = self._tus("POST", UPLOADS_PATH, b"", {
            "Upload-Length": str(length), "Upload-Metadata": encode_metadata(pairs), "Content-Length": "0"})
        if status != 201 or "location" not in answer:
            raise error_from(status, data)
        return self.http.path(answer["location"]), int(answer.get("upload-offset", "0"))

    def offset(self, url):
        """The server's offset of an upload, or None when the server no longer knows it."""
        status, answer, data = self._tus("HEAD", url)
        if status in (404, 410):
            return None
        if status != 200:
            raise error_from(status, data)
        return int(answer["upload-offset"])

    def _patch(self, url, offset, chunk, checksum):
        status, answer, data = self._tus("PATCH", url, chunk, {
            "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
            "Upload-Checksum": "sha256 " + checksum, "Content-Length": str(len(chunk))})
        return status, answer, data

    def upload(self, path, relative, session_id, sha256, mtime=None, url=None, on_url=None,
               on_progress=None, should_stop=None):
        """Send `path` as `relative` into the session; returns a Result once the server has every byte.

        `url` resumes an upload created earlier; `on_url(url)` is called as soon as the upload has
        a Location (to journal it), `on_progress(offset, length)` after every acknowledged chunk.
        Raises Offline when the server stays unreachable, ApiError when it refuses, FileChanged
        when the file no longer matches its announced length or checksum.
        """
        try:
            length = os.path.getsize(path)
        except OSError:
            raise FileChanged("{0} has vanished".format(relative))
        offset = self.offset(url) if url else None
        if offset is None:
            url, offset = self.create(session_id, relative, length, sha256, mtime)
        if on_url is not None:
            on_url(url)
        resumed_from = offset
        if offset:
            log.info("resuming %s at offset %d of %d", relative, offset, length)
        mismatches = 0
        with open(path, "rb") as handle:
            chunks = _ChunkReader(handle, length, self.chunk_size, sha256)
            try:
                while offset < length:
                    if should_stop is not None and should_stop():
                        raise Offline("stopped before {0} was complete".format(relative))
                    chunk, checksum = chunks.get(offset)
                    if not chunk:
                        raise FileChanged("{0} became shorter while it was being sent".format(relative))
                    status, answer, data = self._patch(url, offset, chunk, checksum)
                    if status in (200, 204):
                        offset = int(answer["upload-offset"])
                        mismatches = 0
                        if on_progress is not None:
                            on_progress(offset, length)
                        continue
                    if status in (404, 410):
                        url, offset = self.create(session_id, relative, length, sha256, mtime)
                        if on_url is not None:
                            on_url(url)
                        continue
                    if status == 409 or status == STATUS_CHECKSUM_MISMATCH:
                        mismatches += 1
                        server_offset = self.offset(url)
                        if (status == STATUS_CHECKSUM_MISMATCH and offset + len(chunk) >= length
                                and server_offset == 0):
                            raise FileChanged(
                                "{0} changed while it was being sent (checksum mismatch)".format(relative))
                        if mismatches > self.retries:
                            raise error_from(status, data)
                        offset = server_offset or 0
                        continue
                    raise error_from(status, data)
            finally:
                chunks.close()
        return Result(url, length, resumed_from)

    def close(self):
        self.http.close()
