"""Logger upload benchmark: the logger's throughput and peak memory against curl, on loopback.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/lims_bench_upload .venv/bin/python -m
benchmarks.upload [--count 100] [--size-mb 10] [--big-mb 1024] [--chunk-mb 16] [--single-request-mb MB]
[--repeat 3]`. It creates and migrates the database if missing, starts gunicorn through the same
helpers the tests use (record builds are only queued, to a Redis database no worker reads, so they
cost nothing here), writes random files, then sends the same bytes twice: once with
`python -m logger --no-gui --once`, once with curl (each file created with one tus POST, then its
bytes sent by a single `curl -X PATCH -T file` for all files). Wall time and peak resident memory (sampled every 20 ms with
psutil) are measured per run. Logger and curl take turns for `--repeat` rounds and the best time of
each counts, since other load on the machine only ever slows a run down. Prints a Markdown table and
the range of the 1-minute load average seen at the end of each round.
"""
import argparse
import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench_upload")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
MB = 1024 * 1024
WRITE_BLOCK = 4 * MB
HOSTNAME = "BENCH-UPLOAD-PC"

from benchmarks.common import ensure_database  # noqa: E402


def _setup_django():
    import django
    from django.core.management import call_command

    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from lims.instruments.models import Instrument

    instrument, _ = Instrument.objects.get_or_create(pid="bench-upload", defaults={"name": "Upload bench",
                                                                                   "hostname": HOSTNAME})
    _end_open_sessions(instrument)
    return instrument


def _end_open_sessions(instrument) -> None:
    """Sessions left open by an interrupted run would block the next start."""
    from django.utils import timezone

    from lims.sessions.models import Session

    Session.objects.filter(instrument=instrument, state=Session.State.ACTIVE).update(
        state=Session.State.ENDED, end=timezone.now())


def _write_random(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        left = size
        while left:
            block = os.urandom(min(WRITE_BLOCK, left))
            handle.write(block)
            left -= len(block)


def _run(argv, env=None):
    """Run a child; (seconds, peak resident MB sampled every 20 ms, returncode, output)."""
    import psutil

    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]

    def sample():
        try:
            process = psutil.Process(child.pid)
            while child.poll() is None:
                peak[0] = max(peak[0], process.memory_info().rss)
                time.sleep(0.02)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.stdout.read()
    code = child.wait()
    seconds = time.perf_counter() - started
    sampler.join()
    return seconds, peak[0] / MB, code, output.decode("utf-8", "replace")


def _logger(url, token, folder, state, chunk, single_request_max):
    argv = [sys.executable, "-m", "logger", "--no-gui", "--once", "--user", "bench", "--server", url, "--token",
            token, "--folder", str(folder), "--state-dir", str(state), "--chunk-size", str(chunk)]
    if single_request_max is not None:
        argv += ["--single-request-max", str(single_request_max)]
    seconds, peak, code, output = _run(argv)
    if code != 0:
        raise SystemExit(f"the logger failed:\n{output}")
    return seconds, peak


def _session(connection, token):
    import json

    session_id = str(uuid.uuid4())
    connection.request("POST", "/api/v1/sessions/", json.dumps({"id": session_id, "user": "bench-curl"}),
                       {"Authorization": f"Token {token}", "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    assert response.status == 201, response.status
    return session_id


def _curl(url, token, folder):
    """Create every upload with one POST each, then send all bytes with one curl process."""
    import base64

    started = time.perf_counter()
    host = url.split("//", 1)[1]
    connection = http.client.HTTPConnection(host, timeout=600)
    session_id = _session(connection, token)
    argv = ["curl", "-sS", "--fail", "-X", "PATCH", "-H", "Tus-Resumable: 1.0.0", "-H", "Expect:",
            "-H", "Content-Type: application/offset+octet-stream", "-H", "Upload-Offset: 0",
            "-H", f"Authorization: Token {token}"]
    for path in sorted(folder.iterdir()):
        digest = _sha256(path)
        metadata = ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in
                            (("session", session_id), ("filename", path.name), ("sha256", digest)))
        connection.request("POST", "/api/v1/uploads/", b"", {
            "Authorization": f"Token {token}", "Tus-Resumable": "1.0.0", "Upload-Length": str(path.stat().st_size),
            "Upload-Metadata": metadata})
        response = connection.getresponse()
        response.read()
        assert response.status == 201, response.status
        argv += ["-T", str(path), url + response.getheader("Location")]
    seconds, peak, code, output = _run(argv)
    if code != 0:
        raise SystemExit(f"curl failed:\n{output}")
    elapsed = time.perf_counter() - started
    connection.close()  # a keep-alive server may have dropped it while curl ran
    connection.request("POST", f"/api/v1/sessions/{session_id}/end/", b"", {"Authorization": f"Token {token}"})
    connection.getresponse().read()
    return elapsed, peak


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(WRITE_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _case(name, url, token, folder, work, chunk, single_request_max, data_root, repeat, loads):
    """Logger and curl in turn, `repeat` rounds; the best round of each counts (least disturbed by other load)."""
    total = sum(p.stat().st_size for p in folder.iterdir())
    logger_runs, curl_runs = [], []
    for _ in range(repeat):
        logger_runs.append(_logger(url, token, folder, work / f"state-{uuid.uuid4().hex[:8]}", chunk,
                                   single_request_max))
        _empty(data_root)
        curl_runs.append(_curl(url, token, folder))
        _empty(data_root)
        loads.append(os.getloadavg()[0])
    logger_s, curl_s = min(s for s, _ in logger_runs), min(s for s, _ in curl_runs)
    logger_mb, curl_mb = max(mb for _, mb in logger_runs), max(mb for _, mb in curl_runs)
    logger_rate, curl_rate = total / MB / logger_s, total / MB / curl_s
    ratios = sorted(c / l for (l, _), (c, _) in zip(logger_runs, curl_runs))
    spread = f"{100 * ratios[0]:.0f}-{100 * ratios[-1]:.0f}%"
    return (f"| {name} | {total / MB:.0f} | {logger_s:.1f} | {logger_rate:.0f} | {logger_mb:.0f} | {curl_s:.1f} "
            f"| {curl_rate:.0f} | {curl_mb:.0f} | {100 * logger_rate / curl_rate:.0f}% | {spread} |")


def _empty(data_root: Path) -> None:
    shutil.rmtree(data_root, ignore_errors=True)
    data_root.mkdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="number of small files")
    parser.add_argument("--size-mb", type=float, default=10, help="size of each small file")
    parser.add_argument("--big-mb", type=float, default=1024, help="size of the big file (0 to skip)")
    parser.add_argument("--chunk-mb", type=float, default=16, help="logger chunk size")
    parser.add_argument("--single-request-mb", type=float, default=None,
                        help="largest new file the logger sends in one request (default: the logger's; 0: chunks)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of logger and curl per case")
    args = parser.parse_args()

    _setup_django()
    from django.db import connection

    from lims.instruments.models import Instrument
    from tests.live import free_port, run_gunicorn, server_env

    token = Instrument.objects.get(pid="bench-upload").api_token
    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    data_root = work / "data"
    data_root.mkdir()
    env = server_env(connection.settings_dict, broker_url=BROKER, data_root=data_root)
    chunk = int(args.chunk_mb * MB)
    single = None if args.single_request_mb is None else int(args.single_request_mb * MB)
    rows, loads = [], []
    try:
        with run_gunicorn(env, free_port(), workers=args.workers, log_dir=work) as server:
            if args.count:
                small = work / "small"
                small.mkdir()
                for n in range(args.count):
                    _write_random(small / f"file-{n:04d}.bin", int(args.size_mb * MB))
                rows.append(_case(f"{args.count} x {args.size_mb:g} MB", server.url, token, small, work, chunk,
                                  single, data_root, args.repeat, loads))
                shutil.rmtree(small)
            if args.big_mb:
                big = work / "big"
                big.mkdir()
                _write_random(big / "big.bin", int(args.big_mb * MB))
                rows.append(_case(f"1 x {args.big_mb:g} MB", server.url, token, big, work, chunk, single,
                                  data_root, args.repeat, loads))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["redis-cli", "-u", BROKER, "flushdb"], capture_output=True)
    single_text = "default" if args.single_request_mb is None else f"{args.single_request_mb:g} MB"
    print(f"Logger chunk {args.chunk_mb:g} MB, single request max {single_text}, gunicorn workers {args.workers}, "
          f"loopback, best of {args.repeat}, load average {min(loads):.1f}-{max(loads):.1f}.\n")
    print("| case | MB | logger s | logger MB/s | logger peak RSS MB | curl s | curl MB/s | curl peak RSS MB "
          "| logger / curl | per-round range |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
