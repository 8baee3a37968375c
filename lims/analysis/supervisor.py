"""Running one method in a child process: claim, limits, progress, cancel, timeout, outcome.

`supervise(run_id)` is what the Celery task `supervise_run` does. It claims the run with a
conditional update (QUEUED -> RUNNING; a second delivery of the same message finds it taken and
does nothing), writes the job into the run's folder (DATA_ROOT/runs/<id>/) and starts
`python -m lims.analysis.child` with a clean environment (no secret key, no database or broker
address), in its own process group, with RLIMIT_AS, RLIMIT_FSIZE and RLIMIT_CORE set and the
parent's death killing it. While it runs, the supervisor relays progress and the log tail to the
run at most once a second (which is also the heartbeat), stops it on cancel (SIGTERM, then SIGKILL
after CANCEL_GRACE_SECONDS) or when it outlives ANALYSIS_TIME_LIMIT or writes more than
ANALYSIS_OUTPUT_LIMIT_MB, and finally records the outcome through `runs.move`.
"""
import ctypes
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from lims.analysis import runs
from lims.analysis.models import Run
from lims.sessions import objects

CANCEL_GRACE_SECONDS = 10.0
RELAY_SECONDS = 1.0  # progress and heartbeat reach the database at most this often
LOG_TAIL_BYTES = 64 * 1024


def run_folder(run_id) -> Path:
    return settings.DATA_ROOT / "runs" / str(run_id)


def clean_environment(home: Path) -> dict:
    """The child's whole environment: where Python and the code are, nothing secret."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "PYTHONPATH": str(settings.BASE_DIR),
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _limits(memory_bytes: int, file_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the supervisor
        except (OSError, AttributeError):
            pass
    return apply


def folder_bytes(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
            return handle.read().decode("utf-8", "replace").replace("\x00", "")
    except OSError:
        return ""


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the child's group, SIGKILL if it is still there after the grace period."""
    for sig, wait in ((signal.SIGTERM, CANCEL_GRACE_SECONDS), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _job(run: Run, folder: Path, progress_fd: int) -> Path:
    session_dir = run.record.session.storage_dir
    from lims.sessions.models import DataFile

    stored = {f.pk: f for f in DataFile.objects.filter(pk__in=[i["file_id"] for i in run.inputs])
              .select_related("session__instrument")}
    inputs = []
    for item in run.inputs:
        datafile = stored.get(item["file_id"])
        try:  # with object storage, a copy in the local read cache
            path = objects.readable_path(datafile.storage_key) if datafile else session_dir / "missing"
        except FileNotFoundError:
            path = session_dir / "missing"
        inputs.append({**item, "path": str(path)})
    job = {"kind": run.method.kind, "target": run.method.target, "params": run.params, "inputs": inputs,
           "out": str(folder / "out"), "progress_fd": progress_fd, "schema": run.method.param_schema}
    path = folder / "job.json"
    path.write_text(json.dumps(job))
    return path


def _relay(run_id, progress: dict | None, log_path: Path) -> bool:
    """Note progress, log tail and heartbeat; True when the run should stop (cancelled, or no longer RUNNING)."""
    fields = {"heartbeat": timezone.now(), "log": _tail(log_path)}
    if progress:
        fields["progress"] = progress.get("progress", 0.0)
        fields["message"] = str(progress.get("message", ""))[:300]
    Run.objects.filter(pk=run_id, state=Run.State.RUNNING).update(**fields)
    return not Run.objects.filter(pk=run_id, state=Run.State.RUNNING, cancel_requested=False).exists()


def supervise(run_id) -> str:
    """Run one queued run to its end; returns its final state (or "SKIPPED" when another worker has it)."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    if not runs.move(run_id, Run.State.RUNNING, [Run.State.QUEUED], attempts=F("attempts") + 1, worker=worker,
                     progress=0.0, message="starting", error=""):
        return "SKIPPED"
    run = Run.objects.select_related("method", "record__session__instrument").get(pk=run_id)
    folder = run_folder(run_id)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "home").mkdir(parents=True)
    log_path = folder / "log.txt"
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    output_cap = settings.ANALYSIS_OUTPUT_LIMIT_MB * 1024 * 1024
    process = None
    try:
        job = _job(run, folder, write_fd)
        with open(log_path, "wb") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "lims.analysis.child", str(job)], cwd=folder / "home",
                env=clean_environment(folder / "home"), stdin=subprocess.DEVNULL, stdout=log_file,
                stderr=subprocess.STDOUT, pass_fds=(write_fd,), start_new_session=True,
                preexec_fn=_limits(settings.ANALYSIS_MEMORY_LIMIT_MB * 1024 * 1024, output_cap + 1),
            )
        os.close(write_fd)
        write_fd = None
        ending = _watch(run, process, read_fd, log_path, folder / "out", output_cap)
        return _conclude(run, process, ending, folder, log_path)
    except Exception as exc:
        # The database or the machine failed the supervisor itself: the method must not run on unwatched.
        if process is not None and process.poll() is None:
            _stop(process)
        try:
            runs.move(run_id, Run.State.FAILED, [Run.State.RUNNING], error=f"the supervisor failed: {exc!r}"[:2000])
        except Exception:  # noqa: BLE001 - the database is away; the sweep fails the run once its heartbeat is old
            pass
        raise
    finally:
        os.close(read_fd)
        if write_fd is not None:
            os.close(write_fd)
        shutil.rmtree(folder, ignore_errors=True)  # outputs were moved into the derived session; the log is kept


def _watch(run: Run, process: subprocess.Popen, read_fd: int, log_path: Path, out: Path, output_cap: int):
    """Wait for the child, relaying progress; returns None, or why it was stopped (cancel, timeout, output)."""
    deadline = time.monotonic() + settings.ANALYSIS_TIME_LIMIT
    buffer, latest, last_relay = b"", None, 0.0
    while process.poll() is None:
        ready, _, _ = select.select([read_fd], [], [], RELAY_SECONDS)
        if ready:
            try:
                chunk = os.read(read_fd, 65536)
            except BlockingIOError:
                chunk = b""
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines[-1:]:
                try:
                    latest = json.loads(line)
                except ValueError:
                    continue
            buffer = buffer[-65536:]
        if time.monotonic() - last_relay >= RELAY_SECONDS:
            last_relay = time.monotonic()
            if _relay(run.pk, latest, log_path):
                _stop(process)
                return "cancelled"
            if folder_bytes(out) > output_cap:
                _stop(process)
                return "output"
        if time.monotonic() > deadline:
            _stop(process)
            return "timeout"
    return None


def _failure(process: subprocess.Popen, outcome: dict) -> str:
    if outcome.get("error"):
        return outcome["error"]
    code = process.returncode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = {"SIGKILL": f" (it may have exceeded the memory limit of {settings.ANALYSIS_MEMORY_LIMIT_MB} MB)",
                "SIGXFSZ": f" (a file exceeded the output limit of {settings.ANALYSIS_OUTPUT_LIMIT_MB} MB)",
                "SIGSEGV": ""}.get(name, "")
        return f"the method was killed by {name}{hint}"
    return f"the method exited with status {code} without a result"


def _conclude(run: Run, process: subprocess.Popen, ending: str | None, folder: Path, log_path: Path) -> str:
    from lims.analysis.derived import create_derived

    try:
        outcome = json.loads((folder / "result.json").read_text())
    except (OSError, ValueError):
        outcome = {}
    fields = {"log": _tail(log_path), "environment": outcome.get("environment") or {}}
    if ending == "cancelled":
        runs.move(run.pk, Run.State.CANCELLED, message="cancelled while running", **fields)
    elif ending == "timeout":
        runs.move(run.pk, Run.State.TIMED_OUT, error=f"stopped after the time limit of "
                  f"{settings.ANALYSIS_TIME_LIMIT} s", **fields)
    elif ending == "output":
        runs.move(run.pk, Run.State.FAILED, error=f"the method wrote more than the output limit of "
                  f"{settings.ANALYSIS_OUTPUT_LIMIT_MB} MB", **fields)
    elif process.returncode != 0 or "summary" not in outcome:
        runs.move(run.pk, Run.State.FAILED, error=_failure(process, outcome)[:2000], **fields)
    else:
        create_derived(run, folder / "out", summary=outcome.get("summary") or {}, **fields)
    return Run.objects.filter(pk=run.pk).values_list("state", flat=True).first()
