"""One file in, one JSON-ready result out: extraction plus preview, in a reader process held to a time
and memory limit by the operating system (records.limits), with a guard on declared data sizes.

Inside the reader an alarm at the time limit stops Python code (a preview that runs out of time
becomes a warning, see `_draw`); code that does not notice it, such as a loop in C, is killed
HARD_LIMIT_GRACE seconds later by the caller.
"""
import importlib
import os
import signal as signals
import sys
import threading
from dataclasses import replace
from pathlib import Path

from records import limits
from records.errors import OutOfTime, ResourceLimitExceeded
from records.extractors import extract
from records.extractors.base import Extraction, jsonable

EXTRACTOR_VERSION = "2.1"  # bump when extractors or previews change what they produce; servers cache by it


def signal_preview_path(preview_path, index: int) -> Path:
    """Where the preview of a file's further signal `index` (1, 2 ...) goes: beside the main one."""
    path = Path(preview_path)
    return path.with_name(f"{path.stem}.{index}{path.suffix}")


def _draw(extraction: Extraction, preview_path: Path, size: int, max_bytes: int, late: bool) -> tuple[Extraction, bool]:
    """(`extraction` with its preview written, whether the time ran out); a refused or failed preview
    leaves a warning and a placeholder instead."""
    from records.previews import placeholder, render

    problem, timed_out = None, False
    if late:
        problem = "no time was left for this preview"
    elif extraction.loader is not None and extraction.data_bytes > max_bytes:
        problem = (f"the data would take {extraction.data_bytes} bytes in memory, more than the limit of "
                   f"{max_bytes}; no preview")
    else:
        try:
            written = render(extraction, preview_path, size)
        except (OutOfTime, ResourceLimitExceeded) as exc:
            problem, timed_out = str(exc), True
        except Exception as exc:  # noqa: BLE001 - undecodable pixels must not lose the metadata
            problem = f"the data cannot be decoded for a preview: {type(exc).__name__}: {exc}"
    if problem is None:
        return replace(extraction, preview=str(written) if written else None), False
    written = placeholder.render(replace(extraction, error=extraction.error or problem), preview_path, size)
    warnings = tuple(extraction.warnings) + (problem,)
    return replace(extraction, loader=None, preview=str(written), warnings=warnings), timed_out


def _render(extraction: Extraction, preview_path, size: int, max_bytes: int) -> tuple[Extraction, str | None]:
    """(extraction, preview path) with a preview for each signal; a preview that fails or is refused
    becomes a warning and a placeholder, never the file's error, so the metadata read is kept."""
    drawn, late = [], False  # the time limit fires once: after it, later signals get placeholders
    for index, signal in enumerate((extraction, *extraction.signals)):
        path = Path(preview_path) if index == 0 else signal_preview_path(preview_path, index)
        result, timed_out = _draw(signal, path, size, max_bytes, late)
        drawn.append(result)
        late = late or timed_out
    main = replace(drawn[0], signals=tuple(drawn[1:]))
    return main, main.preview


def _signal(extraction: Extraction) -> dict:
    """One further signal of a file as it is kept in the file's metadata under "signals"."""
    return {"metadata": jsonable(extraction.metadata), "preview": bool(extraction.preview),
            "warnings": list(extraction.warnings), "error": extraction.error}


def _result(extraction: Extraction, preview: str | None) -> dict:
    metadata = jsonable(extraction.metadata)
    if extraction.signals:
        metadata["signals"] = [_signal(signal) for signal in extraction.signals]
    return {
        "path": extraction.path,
        "format": extraction.format,
        "extractor": extraction.extractor,
        "metadata": metadata,
        "warnings": list(extraction.warnings),
        "preview": preview,
        "error": extraction.error,
        "signal_type": metadata.get("signal_type", "other"),
        "acquisition_time": metadata.get("acquisition_time"),
        "original_metadata": extraction.original_metadata,  # extractors already made it JSON-ready
    }


def _work(path, preview_path, size: int, max_bytes: int) -> dict:
    extraction = extract(path)
    preview = None
    if preview_path is not None:
        extraction, preview = _render(extraction, preview_path, size, max_bytes)
    return _result(extraction, preview)


def _failed(path, message: str) -> dict:
    failed = Extraction(path=str(path), format="unknown", extractor="basic", error=message)
    return _result(failed, None)


def expand(paths) -> list[Path]:
    """Files named by `paths`, directories walked in sorted order; missing paths are kept (they give errors)."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders.sort()
                files.extend(Path(folder) / n for n in sorted(names))
        else:
            files.append(path)
    return files


def _fresh_thread_pools() -> None:
    """In a forked reader: dask's default thread pool is the caller's, whose threads did not come along
    with the fork, so work handed to it would wait for ever; forget it and dask makes the reader its own."""
    threaded = sys.modules.get("dask.threaded")
    if threaded is not None:
        threaded.default_pool = None
        threaded.pools.clear()
        threaded.pools_lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_thread_pools)


def _load_libraries() -> None:
    """Import what readers use (every extractor and preview, the readers' libraries, pint's unit registry)
    in this process, once: each reader forked from it then starts with them loaded, instead of spending
    one to two seconds of its first file (and of the first file after every replaced reader) on it."""
    import dask.array  # noqa: F401 - imported for the readers forked from here
    import rsciio  # noqa: F401
    import tifffile  # noqa: F401

    from records.extractors import MODULES, _module
    from records.previews import RENDERERS, placeholder  # noqa: F401
    from records.previews.canvas import font
    from records.units import quantity

    for name in MODULES:
        _module(name)
    for kind in (*RENDERERS.values(), "volume"):
        importlib.import_module(f"records.previews.{kind}")
    for size in (10, 11, 12):
        font(size)
    quantity(1, "V", "acceleration_voltage")


HARD_LIMIT_GRACE = 10.0
ALARM_REPEAT = 0.05  # shortest interval between two alarms once the time limit has passed
_readers = threading.local()  # one reader process per calling thread


def _reader(allowance: int) -> limits.Reader:
    reader = getattr(_readers, "reader", None)
    if reader is None or reader.allowance != allowance:
        if reader is not None:
            reader.stop()
        _load_libraries()
        reader = _readers.reader = limits.Reader(_work_on, allowance)
    return reader


def _too_long(seconds: float) -> str:
    return f"reading the file took longer than the limit of {seconds:g} s"


def _alarm(seconds: float):
    def handler(signum, frame):
        raise OutOfTime(_too_long(seconds))

    return handler


def _work_on(path: str, preview_path: str | None, size: int, max_bytes: int, time_limit: float | None) -> dict:
    """`_work` as the reader process runs it: paths received as text, an alarm at `time_limit`.

    The alarm repeats until the work returns, so code that swallows one (a broad `except`) meets the next.
    """
    preview = Path(preview_path) if preview_path else None
    if not time_limit:
        return _work(Path(path), preview, size, max_bytes)
    previous = signals.signal(signals.SIGALRM, _alarm(time_limit))
    try:
        signals.setitimer(signals.ITIMER_REAL, time_limit, max(time_limit, ALARM_REPEAT))
        try:
            return _work(Path(path), preview, size, max_bytes)
        finally:
            signals.setitimer(signals.ITIMER_REAL, 0)
    except OutOfTime:
        return _failed(path, _too_long(time_limit))
    finally:
        signals.signal(signals.SIGALRM, previous)


def process_file(path, preview_path=None, size: int = 500, time_limit: float | None = limits.TIME_LIMIT_SECONDS,
                 max_bytes: int = limits.MAX_DATA_BYTES, memory_limit: int | None = None, heartbeat=None) -> dict:
    """Extract metadata (and write a preview PNG when `preview_path` is given); never raises.

    Data declared larger than `max_bytes` is not loaded. The work runs in a reader process
    (records.limits) with `time_limit` seconds (killed HARD_LIMIT_GRACE later) and `memory_limit` bytes (default:
    limits.memory_allowance(max_bytes)); a file that needs more ends as this file's error.
    `heartbeat()` is called while waiting (only exceptions it raises come through).
    """
    allowance = memory_limit if memory_limit is not None else limits.memory_allowance(max_bytes)
    args = (str(path), str(preview_path) if preview_path is not None else None, size, max_bytes, time_limit)
    hard_limit = time_limit + HARD_LIMIT_GRACE if time_limit else None
    try:
        return _reader(allowance).call(args, hard_limit, heartbeat)
    except limits.TimedOut:
        return _failed(path, _too_long(time_limit))
    except ResourceLimitExceeded as exc:
        return _failed(path, str(exc))
    except (limits.ChildFailed, OSError) as exc:
        return _failed(path, f"unexpected failure: {exc}")
