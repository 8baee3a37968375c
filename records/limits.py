"""Resource limits for reading one file, enforced by the operating system.

A `Reader` is a child process forked from the caller (a Celery worker, the web server, `manage.py
extract`) that reads files one at a time: its address space is capped with RLIMIT_AS at what it
started with plus an allowance, and the caller kills it (SIGKILL) when one file takes longer than
the time limit. A reader stuck in C code, allocating without end, or crashing costs at most that:
the file gets its error, a fresh reader is forked for the next file, and the caller goes on.

The same reader serves many files, so the libraries it loaded and warmed up for the first file
serve the next ones (a fresh fork per file would pay that again each time); it is replaced after
a memory error and after MAX_FILES_PER_READER files, which bounds any memory it keeps. Requests
and results travel through pipes as length-prefixed JSON.
"""
import ctypes
import json
import os
import resource
import select
import signal
import struct
import time
import weakref

from records.errors import ResourceLimitExceeded

TIME_LIMIT_SECONDS = 120.0  # per file, extraction and preview together
MAX_DATA_BYTES = 2 * 1024**3  # decoded array size above which the data is not loaded for a preview
# Memory a reader may use beyond the data itself: decoders, the preview's working copies, libraries' arenas.
MEMORY_HEADROOM = 512 * 1024**2
MAX_FILES_PER_READER = 500
HEARTBEAT_SECONDS = 10.0  # how often a waiting caller's heartbeat is called
_HEADER = struct.Struct("!Q")
_PIECE = 1024 * 1024
_FAILED = 3  # the reader's exit status when it could not even report
_PR_SET_PDEATHSIG = 1


class ChildFailed(Exception):
    """The function raised in the reader; the message names the exception."""


class TimedOut(ResourceLimitExceeded):
    """The reader did not answer within the time limit and was killed."""


def memory_allowance(max_bytes: int) -> int:
    """Address space a reader may add for data of up to `max_bytes`: the data twice (decoded and a
    working copy) plus MEMORY_HEADROOM."""
    return 2 * max_bytes + MEMORY_HEADROOM


def _address_space() -> int:
    """Bytes of address space this process maps now (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from a blocking fd, or None at end of file."""
    pieces, left = [], size
    while left:
        piece = os.read(fd, min(left, _PIECE))
        if not piece:
            return None
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # Linux; elsewhere the pipe's end stops it
    except (OSError, AttributeError):
        pass


def _close_inherited(keep: tuple) -> None:
    """Close every descriptor the reader inherited but its pipes and standard streams: held open in
    here, the caller's sockets and pipes (a browser driver's, a subprocess's) would never see their end."""
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = range(3, os.sysconf("SC_OPEN_MAX"))
    for fd in open_fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _serve(function, allowance: int | None, requests: int, results: int) -> None:
    """The reader's life: cap memory, then answer requests until the pipe closes. Never returns."""
    status = _FAILED
    try:
        _close_inherited((requests, results))
        _die_with_parent()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if allowance is not None and _address_space():
            limit = _address_space() + allowance
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        while True:
            header = _read_exactly(requests, _HEADER.size)
            if header is None:
                status = 0
                break
            args = json.loads(_read_exactly(requests, _HEADER.unpack(header)[0]))
            try:
                payload = {"result": function(*args)}
            except MemoryError:
                payload = {"memory": True}
            except BaseException as exc:  # noqa: BLE001 - reported to the caller, who decides
                payload = {"raised": f"{type(exc).__name__}: {exc}"}
            data = json.dumps(payload, default=str).encode("utf-8")
            _write_all(results, _HEADER.pack(len(data)) + data)
            if "memory" in payload:
                status = 0
                break  # a fresh reader for the next file
    except MemoryError:
        status = _FAILED
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the caller's buffers or connections


def _stop(pid: int, fds: tuple, owner: int) -> int | None:
    """Close a reader's pipes, kill it and return its wait status (only in the process that made it:
    a reader's own copy of its caller's objects must not touch their descriptors or siblings)."""
    if os.getpid() != owner:
        return None
    for fd in fds:
        os.close(fd)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored)
        return None


class Reader:
    """A child process calling `function(*args)` (JSON in, JSON out) within `allowance` bytes of memory."""

    def __init__(self, function, allowance: int | None):
        self.function = function
        self.allowance = allowance
        self.pid = None
        self.served = 0

    def _start(self) -> None:
        request_out, request_in = os.pipe()
        result_out, result_in = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(request_in)
            os.close(result_out)
            _serve(self.function, self.allowance, request_out, result_in)
        os.close(request_out)
        os.close(result_in)
        self.pid, self.requests, self.results, self.served = pid, request_in, result_out, 0
        # A reader whose caller forgot it (its thread ended) is stopped with it, not left waiting.
        self._finalizer = weakref.finalize(self, _stop, pid, (request_in, result_out), os.getpid())

    def stop(self) -> int | None:
        """Kill the reader (if any) and return its wait status."""
        if self.pid is None:
            return None
        self._finalizer.detach()
        status = _stop(self.pid, (self.requests, self.results), os.getpid())
        self.pid = None
        return status

    def _receive(self, size: int, deadline: float | None, time_limit, heartbeat) -> bytes | None:
        pieces, left = [], size
        next_beat = time.monotonic() + HEARTBEAT_SECONDS
        while left:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                self.stop()
                raise TimedOut(f"reading the file took longer than the limit of {time_limit:g} s")
            if heartbeat is not None and now >= next_beat:
                heartbeat()
                next_beat = now + HEARTBEAT_SECONDS
            wait = next_beat - now if deadline is None else min(deadline, next_beat) - now
            if select.select([self.results], [], [], max(wait, 0.0))[0]:
                piece = os.read(self.results, min(left, _PIECE))
                if not piece:
                    return None
                pieces.append(piece)
                left -= len(piece)
        return b"".join(pieces)

    def _died(self):
        status = self.stop()
        if status == _FAILED << 8:
            return self._out_of_memory()
        if status is not None and os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            return ResourceLimitExceeded(f"the reader crashed ({name}) on this file")
        return ResourceLimitExceeded(f"the reader stopped without a result (status {status})")

    def _out_of_memory(self):
        limit = f" of {self.allowance / 1024**2:.0f} MiB" if self.allowance else ""
        return ResourceLimitExceeded(f"reading the file needed more memory than the limit{limit}")

    def _send(self, message: bytes) -> None:
        try:
            _write_all(self.requests, message)
        except BrokenPipeError:  # the idle reader died meanwhile (killed from outside): a fresh one
            self.stop()
            self._start()
            _write_all(self.requests, message)

    def call(self, args: tuple, time_limit: float | None, heartbeat=None):
        """`function(*args)` in the reader within `time_limit` seconds (None: no limit); its result.

        Raises ResourceLimitExceeded when the reader ran out of time or memory or crashed (it is
        then replaced), ChildFailed when the function raised. `heartbeat()` is called every
        HEARTBEAT_SECONDS while waiting; what it raises comes through (the reader is stopped).
        """
        if self.pid is None or self.served >= MAX_FILES_PER_READER:
            self.stop()
            self._start()
        self.served += 1
        request = json.dumps(list(args)).encode("utf-8")
        deadline = time.monotonic() + time_limit if time_limit else None
        try:
            self._send(_HEADER.pack(len(request)) + request)
            header = self._receive(_HEADER.size, deadline, time_limit, heartbeat)
            data = header and self._receive(_HEADER.unpack(header)[0], deadline, time_limit, heartbeat)
        except BrokenPipeError:
            data = None
        except BaseException:
            self.stop()
            raise
        if data is None:
            raise self._died()
        payload = json.loads(data)
        if "memory" in payload:
            self.stop()
            raise self._out_of_memory()
        if "raised" in payload:
            raise ChildFailed(payload["raised"])
        return payload["result"]
