"""Backup, incremental backup and fixity audit benchmark: time and peak memory as the installation grows.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/lims_bench_ops .venv/bin/python -m benchmarks.operations
[--files 1000,10000,100000] [--size 4096]`. Needs PostgreSQL. It recreates the database, migrates it and
grows one installation (sessions of 1,000 distinct files of `--size` bytes, rows written directly), and
at each size runs, each as its own `manage.py` process: a full `backup` into a new folder, a second
`backup` there after 10 files more (the incremental case), and `verify`. Peak memory is the process's
own maximum resident set (from wait4, so pg_dump, a child it waited for, counts too). Prints a
Markdown table.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench_ops")
PER_SESSION = 1000


def _recreate_database(url: str) -> None:
    import psycopg

    name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _add_files(instrument, count: int, size: int, seed: int) -> None:
    """`count` more distinct files, in sessions of PER_SESSION."""
    from lims.sessions.models import DataFile, Session

    made = 0
    while made < count:
        start = datetime(2025, 1, 1, 8, tzinfo=timezone.utc) + timedelta(hours=seed)
        session = Session.objects.create(instrument=instrument, user="bench", start=start, end=start,
                                         state=Session.State.COMPLETED)
        session.storage_dir.mkdir(parents=True, exist_ok=True)
        rows = []
        for i in range(min(PER_SESSION, count - made)):
            content = hashlib.sha256(f"{seed}-{i}".encode()).digest() * (size // 32)
            (session.storage_dir / f"f{i:05d}.bin").write_bytes(content)
            rows.append(DataFile(session=session, relative_path=f"f{i:05d}.bin", size=len(content),
                                 sha256=hashlib.sha256(content).hexdigest()))
        DataFile.objects.bulk_create(rows, batch_size=2000)
        made += len(rows)
        seed += 1


def _measure(*argv) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one `manage.py` run."""
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "manage.py", *map(str, argv)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"manage.py {' '.join(map(str, argv))} failed: {process.stderr.read().decode()[-2000:]}")
    return took, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", default="1000,10000,100000", help="Installation sizes, in files.")
    parser.add_argument("--size", type=int, default=4096, help="Bytes per file.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lims-bench-ops-"))
    os.environ["DATA_ROOT"] = str(work / "data")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)
    _recreate_database(os.environ["DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=REPO, check=True)
    import django

    django.setup()
    from lims.instruments.models import Instrument

    instrument = Instrument.objects.create(pid="bench", name="Bench")
    print("| files | GB | backup (s) | backup RSS (MiB) | incremental (s) | incremental RSS (MiB) "
          "| verify (s) | verify RSS (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    have, seed = 0, 0
    try:
        for target in [int(n) for n in args.files.split(",")]:
            _add_files(instrument, target - have, args.size, seed)
            seed, have = seed + (target - have) // PER_SESSION + 1, target
            dest = work / f"backup-{target}"
            full = _measure("backup", dest)
            _add_files(instrument, 10, args.size, seed + 10_000)
            have += 10
            incremental = _measure("backup", dest)
            verify = _measure("verify")
            print(f"| {target:,} | {target * args.size / 1e9:.2f} | {full[0]:.1f} | {full[1]:.0f} "
                  f"| {incremental[0]:.1f} | {incremental[1]:.0f} | {verify[0]:.1f} | {verify[1]:.0f} |", flush=True)
            shutil.rmtree(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
