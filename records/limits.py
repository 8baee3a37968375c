"""Resource limits for reading one file, enforced by the operating system.

`run` calls a function in a child process forked from this one (so nothing is imported again and
starting it costs a few milliseconds): the child's address space is capped with RLIMIT_AS at what
this process already uses plus the allowance, and the child is killed (SIGKILL) when the time
limit passes. A reader stuck in C code, or allocating without end, costs at most that; the
calling process (a Celery worker, the web server, `manage.py extract`) is never touched and goes
on with the next file. The result travels back through a pipe as JSON.
"""
import json
import os
import resource
import select
import signal
import time

from records.errors import ResourceLimitExceeded

TIME_LIMIT_SECONDS = 120.0  # per file, extraction and preview together
MAX_DATA_BYTES = 2 * 1024**3  # decoded array size above which the data is not loaded for a preview
# Memory a reader may use beyond the data itself: decoders, the preview's working copies, libraries' arenas.
MEMORY_HEADROOM = 512 * 1024**2
HEARTBEAT_SECONDS = 10.0  # how often `run` calls its heartbeat while the child works
_PIECE = 1024 * 1024
_FAILED = 3  # the child's exit status when it could not even report


class ChildFailed(Exception):
    """The function raised in the child; the message names the exception."""


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


def _child(function, args, allowance: int | None, write_fd: int) -> None:
    """Runs in the forked child: cap memory, call, report through the pipe, exit without cleanup."""
    status = _FAILED
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if allowance is not None and _address_space():
            limit = _address_space() + allowance
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload = {"result": function(*args)}
        except MemoryError:
            payload = {"memory": True}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, who decides
            payload = {"raised": f"{type(exc).__name__}: {exc}"}
        data = json.dumps(payload, default=str).encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
        status = 0
    except MemoryError:
        status = _FAILED
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers or connections


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> int | None:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored)
        return None


def _read_all(pid: int, read_fd: int, time_limit: float | None, heartbeat) -> bytes:
    """Everything the child writes until it closes the pipe; kills it and raises when time runs out."""
    started = time.monotonic()
    deadline = started + time_limit if time_limit else None
    next_beat = started + HEARTBEAT_SECONDS
    pieces = []
    while True:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            _kill(pid)
            raise ResourceLimitExceeded(f"reading the file took longer than the limit of {time_limit:g} s")
        if heartbeat is not None and now >= next_beat:
            heartbeat()
            next_beat = now + HEARTBEAT_SECONDS
        wait = next_beat - now if deadline is None else min(deadline, next_beat) - now
        ready, _, _ = select.select([read_fd], [], [], max(wait, 0.0))
        if ready:
            piece = os.read(read_fd, _PIECE)
            if not piece:
                return b"".join(pieces)
            pieces.append(piece)


def _outcome(data: bytes, status: int | None, allowance: int | None):
    if data:
        payload = json.loads(data)
        if "result" in payload:
            return payload["result"]
        if "raised" in payload:
            raise ChildFailed(payload["raised"])
    if (data and payload.get("memory")) or status == _FAILED << 8:
        limit = f" of {allowance / 1024**2:.0f} MiB" if allowance else ""
        raise ResourceLimitExceeded(f"reading the file needed more memory than the limit{limit}")
    if status is not None and os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise ResourceLimitExceeded(f"the reader crashed ({name}) on this file")
    raise ResourceLimitExceeded(f"the reader stopped without a result (status {status})")


def run(function, args: tuple, time_limit: float | None, allowance: int | None, heartbeat=None):
    """`function(*args)` in a child process with at most `allowance` more bytes of memory and
    `time_limit` seconds (None: no such limit); its JSON-ready result.

    Raises ResourceLimitExceeded when the child ran out of time or memory or crashed, ChildFailed
    when the function raised. `heartbeat()` is called every HEARTBEAT_SECONDS while waiting.
    """
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:
        os.close(read_fd)
        _child(function, args, allowance, write_fd)
    os.close(write_fd)
    try:
        data = _read_all(pid, read_fd, time_limit, heartbeat)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    return _outcome(data, _reap(pid), allowance)
