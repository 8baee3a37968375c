"""Record pipeline benchmark: build sessions of 10 to 10,000 files with one and two worker processes.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/lims_bench .venv/bin/python -m benchmarks.pipeline
[--sizes 10,100,1000,10000] [--workers 1,2]`. Needs PostgreSQL and Redis. It creates the database if
missing, migrates it, generates small 16-bit TIFF files (64x64, distinct content so nothing is
served from the extraction cache), starts real `celery -A lims worker` processes through the same
helpers the tests use, queues each build through the broker and times it until the session is
COMPLETED. Peak resident memory of the worker processes (parent and children) is sampled every
0.2 s. Prints a Markdown table.
"""
import argparse
import hashlib
import io
import os
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")

from benchmarks.common import ensure_database  # noqa: E402


def _tiff(seed: int) -> bytes:
    import numpy as np
    import tifffile

    buffer = io.BytesIO()
    tifffile.imwrite(buffer, np.random.default_rng(seed).integers(0, 4000, (64, 64), dtype="uint16"))
    return buffer.getvalue()


def _make_session(instrument, files: int, seed: int):
    from lims.sessions.models import DataFile, Session

    t0 = datetime(2025, 1, 1, 8, tzinfo=timezone.utc) + timedelta(days=seed)
    session = Session.objects.create(instrument=instrument, user="bench", start=t0, end=t0 + timedelta(seconds=files * 10),
                                     state=Session.State.ENDED)
    folder = session.storage_dir
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(files):
        content = _tiff(seed * 100_000 + i)
        (folder / f"f{i:05d}.tif").write_bytes(content)
        rows.append(DataFile(session=session, relative_path=f"f{i:05d}.tif", size=len(content),
                             sha256=hashlib.sha256(content).hexdigest(), mtime=t0 + timedelta(seconds=10 * i)))
    DataFile.objects.bulk_create(rows, batch_size=2000)
    return session


class _PeakRss(threading.Thread):
    """Samples the summed RSS of a process and its children until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def run(self):
        import psutil

        while not self._done.is_set():
            try:
                parent = psutil.Process(self.pid)
                rss = parent.memory_info().rss + sum(c.memory_info().rss for c in parent.children(recursive=True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    def stop(self):
        self._done.set()
        self.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    data_root = Path(tempfile.mkdtemp(prefix="lims-bench-"))
    os.environ["DATA_ROOT"] = str(data_root)

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection

    from lims.instruments.models import Instrument
    from lims.records.tasks import build_session
    from lims.sessions.models import Session
    from tests.live import run_celery_worker, server_env, wait_for

    call_command("migrate", verbosity=0)
    from lims.celery import app

    app.conf.update(broker_url=BROKER, task_always_eager=False)
    redis.Redis.from_url(BROKER).flushdb()
    instrument, _ = Instrument.objects.get_or_create(pid="bench", defaults={"name": "Benchmark"})
    env = server_env(connection.settings_dict, broker_url=BROKER, data_root=data_root)
    rows = []
    seed = int(time.time()) % 10_000
    for workers in [int(w) for w in args.workers.split(",")]:
        with run_celery_worker(env, concurrency=workers, log_dir=data_root) as worker:
            for size in [int(s) for s in args.sizes.split(",")]:
                seed += 1
                session = _make_session(instrument, size, seed)
                sampler = _PeakRss(worker.pid)
                sampler.start()
                began = time.perf_counter()
                build_session.delay(str(session.pk))
                wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 3600,
                         interval=0.05, what="the build")
                took = time.perf_counter() - began
                sampler.stop()
                state = Session.objects.get(pk=session.pk).state
                rows.append((workers, size, took, took / size * 1000, sampler.peak / 2**20, state))
                print(f"workers={workers} files={size}: {took:.2f} s ({took / size * 1000:.1f} ms/file), "
                      f"peak RSS {sampler.peak / 2**20:.0f} MiB, {state}", flush=True)
    print("\n| workers | files | build time (s) | per file (ms) | peak worker RSS (MiB) | state |")
    print("|---:|---:|---:|---:|---:|---|")
    for workers, size, took, per_file, rss, state in rows:
        print(f"| {workers} | {size} | {took:.2f} | {per_file:.1f} | {rss:.0f} | {state} |")


if __name__ == "__main__":
    main()
