"""Finish-step benchmark: time and peak memory of building one record of 1,000 to 100,000 extracted files.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/lims_bench .venv/bin/python -m benchmarks.pipeline.finish
[--sizes 1000,10000,100000]`. Needs PostgreSQL; creates and migrates the database when missing, so it
runs from scratch on an empty one. Extracting 100,000 real files would take an hour and measure the
extractors, so each session's DataFile rows are bulk-created already extracted, with the metadata a
16-bit TIFF of the pipeline benchmark gives plus a few per-file values (distinct times, magnifications
and a stage position, so every file states parameters of its own). The files themselves are not written:
the finish step never reads them.

Each size is measured in a fresh Python process that first finishes a 10-file session (loading
pint, the schema and the database connection), then notes its resident memory, runs
`lims.records.pipeline.finish` on the big session and reports the time and the growth of its peak
resident memory (`ru_maxrss`, exact, no sampling) over that baseline. Prints a Markdown table.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench")

from benchmarks.common import ensure_database  # noqa: E402

WARM_FILES = 10
BATCH = 2000  # rows per INSERT
PAUSE_EVERY = 2000  # files; then a 10-minute pause, so the record has several activities


def _metadata(i: int, when: datetime) -> dict:
    """What extraction gives for one 64x64 16-bit TIFF, with per-file settings as real sessions have."""
    return {
        "acquisition_time": when.isoformat(),
        "acceleration_voltage": {"value": 300, "unit": "kV"},
        "magnification": {"value": 20000 + 1000 * (i % 7), "unit": ""},
        "pixel_size_x": {"value": 0.25, "unit": "nm"},
        "pixel_size_y": {"value": 0.25, "unit": "nm"},
        "detector": "HAADF",
        "vendor": "FEI",
        "model": "Titan",
        "signal_type": "image",
        "dtype": "uint16",
        "stage_x": {"value": round(0.001 * i, 6), "unit": "mm"},
        "dimensions": [{"name": "y", "size": 64, "scale": 1.0, "offset": 0, "unit": "", "navigate": False},
                       {"name": "x", "size": 64, "scale": 1.0, "offset": 0, "unit": "", "navigate": False}],
        "size": 8392,
        "modified_time": when.isoformat(timespec="seconds"),
    }


def _make_session(instrument, files: int, seed: int):
    """A BUILDING session of `files` extracted files, as the last extraction batch leaves it."""
    from lims.sessions.models import DataFile, Session

    t0 = datetime(2025, 1, 1, 8, tzinfo=timezone.utc) + timedelta(days=seed)
    end = t0 + timedelta(seconds=files * 10)
    session = Session.objects.create(instrument=instrument, user="bench", start=t0, end=end,
                                     state=Session.State.BUILDING, sample="grid 2", project="finish benchmark")
    rows = []
    for i in range(files):
        when = t0 + timedelta(seconds=10 * i + 600 * (i // PAUSE_EVERY))
        rows.append(DataFile(
            session=session, relative_path=f"area{i // 500:03d}/f{i:06d}.tif", size=8392,
            sha256=f"{seed:016x}{i:048x}", mtime=when, format="TIFF", extractor="tiff", signal_type="image",
            acquired=when, metadata=_metadata(i, when), warnings=[], preview=f"previews/{i % 256:02x}/{i:062x}.png",
            extracted=True,
        ))
        if len(rows) == BATCH:
            DataFile.objects.bulk_create(rows)
            rows = []
    DataFile.objects.bulk_create(rows)
    return session


def _measure(warm_id: str, session_id: str) -> dict:
    """In this fresh process: finish the warm-up session, then time the big one; memory in MiB."""
    import django

    django.setup()
    import psutil

    from lims.records.models import Record
    from lims.records.pipeline import finish

    finish(warm_id)
    baseline = psutil.Process().memory_info().rss
    began = time.perf_counter()
    state = finish(session_id)
    took = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    record = Record.objects.filter(session_id=session_id).first()
    return {"state": state, "seconds": took, "baseline_mib": baseline / 2**20, "peak_mib": peak / 2**20,
            "growth_mib": max(0, peak - baseline) / 2**20, "files": record.file_count if record else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--measure", nargs=2, metavar=("WARM", "SESSION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(*args.measure)))
        return
    ensure_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DATA_ROOT", tempfile.mkdtemp(prefix="lims-bench-finish-"))
    os.environ["CELERY_BROKER_URL"] = ""  # events dispatch in-process; nothing waits on a queue

    import django

    django.setup()
    from django.core.management import call_command

    from lims.instruments.models import Instrument

    call_command("migrate", verbosity=0)
    instrument, _ = Instrument.objects.get_or_create(pid="bench", defaults={"name": "Benchmark"})
    seed = int(time.time()) % 10_000
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        seed += 2
        warm = _make_session(instrument, WARM_FILES, seed)
        session = _make_session(instrument, size, seed + 1)
        out = subprocess.run([sys.executable, "-m", "benchmarks.pipeline.finish", "--measure", str(warm.pk),
                              str(session.pk)], cwd=REPO, env=os.environ, check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((size, result))
        print(f"files={size}: {result['seconds']:.1f} s, peak RSS {result['peak_mib']:.0f} MiB "
              f"(+{result['growth_mib']:.0f} MiB over {result['baseline_mib']:.0f}), {result['state']}", flush=True)
    print(f"\nload average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| files | finish (s) | peak RSS (MiB) | growth over baseline (MiB) | state |")
    print("|---:|---:|---:|---:|---|")
    for size, r in rows:
        print(f"| {size:,} | {r['seconds']:.1f} | {r['peak_mib']:.0f} | {r['growth_mib']:.0f} | {r['state']} |")


if __name__ == "__main__":
    main()
