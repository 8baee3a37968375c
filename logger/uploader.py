"""A tus 1.0 client: sends one file, resumes from the server's offset, retries with backoff.

A new upload (the server has none of its bytes yet) goes in one request streamed from disk a
block at a time, whose checksum is the file's announced sha256: nothing is hashed again, and the
server's one pass over the bytes checks both the request and the whole file. A cut request of
that kind loses what it carried, so an upload that failed once, or that is resumed from the
journal, goes on in chunks of `chunk_size`, each with its own sha256 and each kept by the server
once acknowledged. While one chunk is on its way, the next one is read and hashed in a
background thread; at most two chunks are held. Memory stays constant either way.
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
SEND_BLOCK = 1024 * 1024
SINGLE_REQUEST_MAX = 4 * 1024 * 1024 * 1024
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


class _FileBody(object):
    """The first `length` bytes of an open file as a request body, read a block at a time.

    http.client sends an iterable body block by block, so memory holds one block whatever the
    file's size. Every iteration starts again at byte 0: a request sent again on a fresh
    connection carries the same bytes. Between blocks it reports progress and, when asked to
    stop, raises Offline, which abandons the request (the server keeps nothing of it).
    """

    def __init__(self, handle, length, relative, on_progress=None, should_stop=None, block=SEND_BLOCK):
        self.handle = handle
        self.length = length
        self.relative = relative
        self.on_progress = on_progress
        self.should_stop = should_stop
        self.block = block

    def __iter__(self):
        self.handle.seek(0)
        sent = 0
        while sent < self.length:
            if self.should_stop is not None and self.should_stop():
                raise Offline("stopped before {0} was complete".format(self.relative))
            if self.on_progress is not None and sent:
                self.on_progress(sent, self.length)
            data = self.handle.read(min(self.block, self.length - sent))
            if not data:
                raise FileChanged("{0} became shorter while it was being sent".format(self.relative))
            sent += len(data)
            yield data


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
                 backoff=0.5, max_backoff=30.0, sleep=time.sleep, single_request_max=SINGLE_REQUEST_MAX):
        self.http = Http(server, token, timeout)
        self.chunk_size = chunk_size
        self.single_request_max = single_request_max
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

    def _patch_whole(self, url, body, sha256, should_stop):
        """The whole file in one PATCH from offset 0 with the announced sha256 as its checksum, tried once.

        (status, headers, data), or None when the request failed or got a 5xx: the caller then
        goes on in chunks from the server's offset. Raises Offline when asked to stop.
        """
        try:
            status, answer, data = self.http.request("PATCH", url, body, {
                "Tus-Resumable": TUS_VERSION, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0",
                "Upload-Checksum": "sha256 " + _b64_digest(binascii.unhexlify(sha256)),
                "Content-Length": str(body.length)})
            if status < 500:
                return status, answer, data
            problem = "the server answered HTTP {0}".format(status)
        except Offline as exc:
            if should_stop is not None and should_stop():
                raise
            problem = str(exc)
        log.warning("sending %s in one request failed (%s); going on in chunks", body.relative, problem)
        return None

    def upload(self, path, relative, session_id, sha256, mtime=None, url=None, on_url=None,
               on_progress=None, should_stop=None):
        """Send `path` as `relative` into the session; returns a Result once the server has every byte.

        `url` resumes an upload created earlier; `on_url(url)` is called as soon as the upload has
        a Location (to journal it), `on_progress(offset, length)` as bytes go out and after every
        acknowledged chunk. Raises Offline when the server stays unreachable, ApiError when it
        refuses, FileChanged when the file no longer matches its announced length or checksum.
        """
        try:
            length = os.path.getsize(path)
        except OSError:
            raise FileChanged("{0} has vanished".format(relative))
        offset = self.offset(url) if url else None
        # Only a new upload goes in one request: one resumed from the journal was interrupted before.
        whole = offset is None and bool(sha256) and 0 < length <= self.single_request_max

        def create():
            new_url, new_offset = self.create(session_id, relative, length, sha256, mtime)
            if on_url is not None:
                on_url(new_url)
            return new_url, new_offset

        if offset is None:
            url, offset = create()
        elif on_url is not None:
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
                    if whole and offset == 0:
                        whole, end = False, length
                        body = _FileBody(handle, length, relative, on_progress, should_stop)
                        answered = self._patch_whole(url, body, sha256, should_stop)
                        if answered is None:
                            offset = self.offset(url)
                            if offset is None:
                                url, offset = create()
                            continue
                        status, answer, data = answered
                    else:
                        chunk, checksum = chunks.get(offset)
                        if not chunk:
                            raise FileChanged("{0} became shorter while it was being sent".format(relative))
                        end = offset + len(chunk)
                        status, answer, data = self._patch(url, offset, chunk, checksum)
                    if status in (200, 204):
                        offset = int(answer["upload-offset"])
                        mismatches = 0
                        if on_progress is not None:
                            on_progress(offset, length)
                        continue
                    if status in (404, 410):
                        url, offset = create()
                        continue
                    if status == 409 or status == STATUS_CHECKSUM_MISMATCH:
                        mismatches += 1
                        if status == 409 and mismatches > 1:
                            # Still busy or moved: a cut request may still hold the upload on the server.
                            self.sleep(min(self.backoff * 2 ** (mismatches - 2), self.max_backoff))
                        server_offset = self.offset(url)
                        if status == STATUS_CHECKSUM_MISMATCH and end >= length and server_offset == 0:
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
