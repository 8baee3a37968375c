"""A runner on another host: `python -m lims_client.runner --server URL --token T --queue Q`.

It claims runs of its queue from the server (a long poll over HTTPS), downloads each input and checks its
sha256, runs the method here in a child process (`python -m lims.analysis.child`, from the LIMS code given
with --code), reports progress and the log tail every second (stopping the method when the run is
cancelled), uploads the outputs with tus (`lims_client.tus`: chunks with their sha256, resumed from the
server's offset after a drop) into the session the server staged for the run, and finishes the run. The
runner token can do nothing else. It talks to the server through the client's `Connection`, with the
runner token.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from lims_client.connection import Connection
from lims_client.errors import LimsError, ServerError
from lims_client.tus import CHUNK_SIZE, TusUploader

RELAY_SECONDS = 1.0
CANCEL_GRACE_SECONDS = 10.0
LOG_TAIL = 64 * 1024


class Server:
    """The runner's side of the server's runner API, over the client's connection with the runner token."""

    def __init__(self, url: str, token: str, timeout: float = 60.0, chunk_size: int = CHUNK_SIZE):
        self.connection = Connection(url, token, scheme="Runner", timeout=httpx.Timeout(timeout, connect=10.0))
        self.chunk_size = chunk_size

    def _path(self, path: str) -> str:
        return path if path.startswith("http") else f"/api/v1/runner/{path}"

    def claim(self, queue: str, wait: float) -> dict | None:
        response = self.connection.request("POST", self._path("claim"), json={"queue": queue, "wait": wait})
        return response.json() if response.status_code == 200 else None

    def download(self, url: str, target: Path) -> str:
        digest = hashlib.sha256()
        with self.connection.stream(self._path(url), hidden=False) as response, open(target, "wb") as handle:
            for piece in response.iter_bytes(1024 * 1024):
                digest.update(piece)
                handle.write(piece)
        return digest.hexdigest()

    def progress(self, run_id: str, progress: float, message: str, log: str) -> bool:
        """Report; True when the run should stop."""
        answer = self.connection.post(self._path(f"runs/{run_id}/progress"),
                                      {"progress": progress, "message": message, "log": log})
        return bool(answer.get("cancel"))

    def upload(self, run_id: str, outputs: dict, name: str, path: Path, log: str) -> str:
        """Send one output into the run's staged session (`outputs` of the job); its sha256 once stored.

        Reports progress at most every RELAY_SECONDS meanwhile, so a long upload keeps the run's heartbeat.
        """
        last = [time.monotonic()]

        def sent(offset: int, size: int) -> None:
            if time.monotonic() - last[0] < RELAY_SECONDS:
                return
            last[0] = time.monotonic()
            try:
                self.progress(run_id, 1.0, f"sending {name}: {offset} of {size} bytes", log)
            except LimsError:
                pass  # the upload itself notices a server that went away

        uploader = TusUploader(self.connection, outputs["uploads"], self.chunk_size,
                               say=lambda text: print(text, file=sys.stderr, flush=True), sent=sent)
        return uploader.upload(path, name, session=outputs["session"])

    def finish(self, run_id: str, **outcome) -> str:
        return self.connection.post(self._path(f"runs/{run_id}/finish"), outcome)["state"]


def _tail(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return data[-LOG_TAIL:].decode("utf-8", "replace")


def _stop(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, CANCEL_GRACE_SECONDS), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def _environment(code: Path, home: Path) -> dict:
    return {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": str(home),
            "PYTHONPATH": str(code), "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1"}


def run_one(server: Server, job: dict, work: Path, code: Path) -> str:
    """Run one claimed job here; returns the state the server recorded."""
    folder = Path(tempfile.mkdtemp(prefix=f"run-{job['id']}-", dir=work))
    try:
        inputs = []
        for item in job["inputs"]:
            target = folder / "inputs" / f"{item['file_id']}-{Path(item['name']).name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            if server.download(item["url"], target) != item["sha256"]:
                return server.finish(job["id"], state="FAILED", error=f"{item['name']} arrived with another sha256")
            inputs.append({**item, "path": str(target)})
        (folder / "home").mkdir()
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        spec = {"kind": job["kind"], "target": job["target"], "params": job["params"], "schema": job["schema"],
                "inputs": inputs, "out": str(folder / "out"), "progress_fd": write_fd}
        (folder / "job.json").write_text(json.dumps(spec))
        log_path = folder / "log.txt"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "lims.analysis.child", str(folder / "job.json")],
                                       cwd=folder / "home", env=_environment(code, folder / "home"),
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       pass_fds=(write_fd,), start_new_session=True)
        os.close(write_fd)
        latest, buffer, cancelled = {"progress": 0.0, "message": "running"}, b"", False
        while process.poll() is None:
            time.sleep(RELAY_SECONDS)
            try:
                buffer += os.read(read_fd, 65536)
            except BlockingIOError:
                pass
            *lines, buffer = buffer.split(b"\n")
            for line in lines[-1:]:
                try:
                    latest = json.loads(line)
                except ValueError:
                    pass
            if server.progress(job["id"], latest.get("progress", 0.0), latest.get("message", ""), _tail(log_path)):
                _stop(process)
                cancelled = True
        os.close(read_fd)
        try:
            outcome = json.loads((folder / "result.json").read_text())
        except (OSError, ValueError):
            outcome = {}
        common = {"log": _tail(log_path), "environment": outcome.get("environment") or {}}
        if cancelled:
            return server.finish(job["id"], state="CANCELLED", **common)
        if process.returncode != 0 or "summary" not in outcome:
            error = outcome.get("error") or f"the method exited with status {process.returncode}"
            return server.finish(job["id"], state="FAILED", error=error, **common)
        out = folder / "out"
        try:
            for path in sorted(p for p in out.rglob("*") if p.is_file() and not p.is_symlink()):
                server.upload(job["id"], job["outputs"], path.relative_to(out).as_posix(), path, common["log"])
        except LimsError as exc:
            return server.finish(job["id"], state="FAILED", error=f"an output could not be sent: {exc}", **common)
        return server.finish(job["id"], state="SUCCEEDED", summary=outcome["summary"], **common)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Claim and run analysis runs of one queue on this host.")
    parser.add_argument("--server", required=True, help="the LIMS address, e.g. https://lims.example.org")
    parser.add_argument("--token", required=True, help="a runner token (manage.py add_runner NAME --queue Q)")
    parser.add_argument("--queue", required=True)
    parser.add_argument("--code", default=os.getcwd(), help="folder holding the LIMS code (lims/, records/)")
    parser.add_argument("--work", default=None, help="folder for inputs and outputs while a run goes on")
    parser.add_argument("--once", action="store_true", help="run one job, then stop")
    parser.add_argument("--wait", type=float, default=25.0, help="seconds of one long poll")
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="bytes of one upload request (tus chunk)")
    args = parser.parse_args(argv)
    server = Server(args.server, args.token, chunk_size=args.chunk_size)
    work = Path(args.work or tempfile.mkdtemp(prefix="lims-runner-"))
    work.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            job = server.claim(args.queue, args.wait)
        except (ServerError, OSError) as exc:
            print(f"the server cannot be reached ({exc}); trying again", file=sys.stderr, flush=True)
            time.sleep(5)
            continue
        if job is None:
            continue
        print(f"run {job['id']}: {job['method']} {job['version']}", flush=True)
        state = run_one(server, job, work, Path(args.code))
        print(f"run {job['id']}: {state}", flush=True)
        if args.once:
            return 0 if state == "SUCCEEDED" else 1


if __name__ == "__main__":
    sys.exit(main())
