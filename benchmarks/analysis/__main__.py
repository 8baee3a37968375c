"""Analysis benchmark: what queueing and supervising a run costs, end to end, and how many runs go through.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/lims_bench .venv/bin/python -m benchmarks.analysis
[--runs 20] [--batch 40] [--concurrency 2]`. Needs PostgreSQL and Redis. It migrates the database, builds a
one-file record, publishes a method that does nothing (`benchmarks/analysis/trivial.py`) and starts real workers:
one on the `analysis` queue and one on the default queue (which builds derived records).

- Overhead: `--runs` trivial runs one after another, each timed from `services.submit` to SUCCEEDED and to its
  derived record built; split into waiting in the queue, the supervised child process, and the derived build.
  Baseline in the same run: starting the same child process directly (`python -m lims.analysis.child`).
- Throughput: `--batch` trivial runs submitted at once, with `--concurrency` worker processes on the
  analysis queue; runs per second until the last is SUCCEEDED.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")

from benchmarks.common import ensure_database  # noqa: E402


def _record(data_root: Path):
    import hashlib
    from datetime import datetime, timezone

    from lims.instruments.models import Instrument
    from lims.records.pipeline import build_now
    from lims.sessions.models import DataFile, Session
    from tests.data.make_analysis import make_fringes

    instrument, _ = Instrument.objects.get_or_create(pid="bench-analysis", defaults={"name": "Benchmark"})
    session = Session.objects.create(instrument=instrument, user="bench", state=Session.State.ENDED,
                                     start=datetime(2025, 1, 1, tzinfo=timezone.utc))
    session.storage_dir.mkdir(parents=True, exist_ok=True)
    path = make_fringes(session.storage_dir)
    content = path.read_bytes()
    DataFile.objects.create(session=session, relative_path=path.name, size=len(content),
                            sha256=hashlib.sha256(content).hexdigest(), mtime=session.start)
    assert build_now(str(session.pk)) == "COMPLETED"
    session.refresh_from_db()
    return session.record


def _child_baseline(data_root: Path, record, repeats: int) -> list[float]:
    """Seconds to start the child process on a trivial job directly, without queue or supervisor."""
    from lims.analysis.supervisor import clean_environment

    times = []
    for i in range(repeats):
        folder = data_root / "baseline" / str(i)
        (folder / "home").mkdir(parents=True)
        item = record.session.files.get()
        job = {"kind": "python", "target": "benchmarks.analysis.trivial", "params": {}, "out": str(folder / "out"),
               "inputs": [{"path": str(item.absolute_path), "name": item.relative_path, "sha256": item.sha256}]}
        (folder / "job.json").write_text(json.dumps(job))
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lims.analysis.child", str(folder / "job.json")], check=True,
                       cwd=folder / "home", env=clean_environment(folder / "home"), capture_output=True)
        times.append(time.perf_counter() - began)
    return times


def _p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    data_root = Path(tempfile.mkdtemp(prefix="lims-bench-analysis-"))
    os.environ["DATA_ROOT"] = str(data_root)

    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django.db import connection

    from lims.analysis import registry, services
    from lims.analysis.models import Run
    from lims.sessions.models import Session
    from tests.live import run_celery_worker, server_env, wait_for

    call_command("migrate", verbosity=0)
    from lims.celery import app

    app.conf.update(broker_url=BROKER, task_always_eager=False)
    redis.Redis.from_url(BROKER).flushdb()
    registry.publish(registry.python_definition("benchmarks.analysis.trivial"), "bench-trivial")
    record = _record(data_root)

    class Staff:
        is_authenticated, is_staff, pk = True, True, None

    env = server_env(connection.settings_dict, broker_url=BROKER, data_root=data_root)
    baseline = _child_baseline(data_root, record, args.runs)
    rows = []
    with run_celery_worker(env, concurrency=1, queues="analysis", log_dir=data_root), \
            run_celery_worker(env, concurrency=1, queues="celery", log_dir=data_root):
        for _ in range(args.runs):
            began = time.perf_counter()
            run, _ = services.submit(Staff(), "bench-trivial", record.pk, reuse=False)
            wait_for(lambda: Run.objects.get(pk=run.pk).is_final, 120, interval=0.01, what="the run")
            succeeded = time.perf_counter() - began
            run.refresh_from_db()
            assert run.state == Run.State.SUCCEEDED, run.error
            wait_for(lambda: Session.objects.get(pk=run.output_session_id).state in Session.FINAL_STATES, 120,
                     interval=0.01, what="the derived record")
            built = time.perf_counter() - began
            rows.append({"succeeded": succeeded, "built": built,
                         "queue": (run.started - run.created).total_seconds(),
                         "child": (run.finished - run.started).total_seconds()})
    with run_celery_worker(env, concurrency=args.concurrency, queues="analysis", log_dir=data_root):
        began = time.perf_counter()
        batch = [services.submit(Staff(), "bench-trivial", record.pk, reuse=False)[0].pk for _ in range(args.batch)]
        wait_for(lambda: Run.objects.filter(pk__in=batch, state=Run.State.SUCCEEDED).count() == args.batch, 600,
                 interval=0.05, what="the batch")
        batch_seconds = time.perf_counter() - began

    def line(name, values):
        print(f"| {name} | {statistics.median(values) * 1000:.0f} | {_p(values, 0.95) * 1000:.0f} |")

    print(f"\nOverhead of a trivial run ({args.runs} runs one after another, 1 analysis worker process):\n")
    print("| step | median (ms) | p95 (ms) |\n|---|---:|---:|")
    line("baseline: the child process started directly", baseline)
    line("submit -> RUNNING (queue, claim)", [r["queue"] for r in rows])
    line("RUNNING -> SUCCEEDED (child process, outputs stored)", [r["child"] for r in rows])
    line("submit -> SUCCEEDED", [r["succeeded"] for r in rows])
    line("submit -> derived record built", [r["built"] for r in rows])
    print(f"\nThroughput: {args.batch} trivial runs submitted at once, {args.concurrency} worker processes: "
          f"{batch_seconds:.1f} s, {args.batch / batch_seconds:.2f} runs/s")


if __name__ == "__main__":
    main()
