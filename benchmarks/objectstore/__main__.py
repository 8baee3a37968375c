"""Object storage benchmark: storing a file, streaming it back, and extracting it through the local read cache,
against moto's standalone S3 server, beside the same steps with files under DATA_ROOT.

Run: `.venv/bin/python -m benchmarks.objectstore [--sizes 1,16,128] [--repeat 3]`. Needs no database or
broker. For each size (MiB) it writes a 16-bit TIFF of about that size and times, as the median of
`--repeat` runs after one warm-up (which starts the reader process and the store's connections):
`objects.put` (an upload's placement: the object written, or the file moved and synced under
DATA_ROOT), streaming the stored bytes back a MiB at a time (`objects.chunks`, what a download sends),
and `objects.readable_path` + `records.process.process_file` (extraction with its preview) on a cold
cache (the object fetched into DATA_ROOT/cache/objects/) and on a warm one. moto keeps objects in its
own process's memory, over HTTP on this host: the figures show the code's overhead, not a real store's.
Prints a Markdown table.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
STORES = {"DATA_ROOT": "", "moto S3": "s3://bench/facility"}
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_DEFAULT_REGION": "us-east-1"}


def _tiff(path: Path, mib: int) -> None:
    import numpy as np
    import tifffile

    side = int((mib * 1024 * 1024 / 2) ** 0.5)
    tifffile.imwrite(path, np.random.default_rng(mib).integers(0, 4000, (side, side), dtype="uint16"))


def _timed(step) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def _moto(work: Path):
    from tests.live import Process, free_port

    port = free_port()
    server = Process("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                     dict(os.environ), work / "moto.log", ready=lambda p: "Running on" in p.output())
    return server.start(), f"http://127.0.0.1:{port}"


def _run(source: Path, remote: bool, repeat: int, work: Path) -> dict[str, float]:
    """Median seconds of each step for one file, with the settings as they are now."""
    from django.conf import settings

    from lims.sessions import objects
    from records.process import process_file

    times = {"put": [], "stream": [], "cold": [], "warm": []}
    for run in range(repeat):
        key = f"bench/2026/{uuid.uuid4()}/{source.name}"
        copy = work / f"upload-{run}.tif"
        shutil.copyfile(source, copy)  # an upload's finished .part file, moved into place locally
        times["put"].append(_timed(lambda: objects.put(copy, key)))
        times["stream"].append(_timed(lambda: sum(len(piece) for piece in objects.chunks(key))))
        preview = work / "preview.png"
        extract = lambda: process_file(objects.readable_path(key), preview_path=preview)  # noqa: E731
        times["cold"].append(_timed(extract))
        times["warm"].append(_timed(extract))
        if remote:
            shutil.rmtree(Path(settings.DATA_ROOT) / objects.CACHE_FOLDER, ignore_errors=True)
    return {step: statistics.median(values) for step, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,16,128", help="File sizes, in MiB.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs per size and storage; the median is shown.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lims-bench-objects-"))
    os.environ["DATA_ROOT"] = str(work / "data")
    os.environ.update(CREDENTIALS)
    server, url = _moto(work)
    try:
        import boto3
        import django

        django.setup()
        from django.conf import settings

        boto3.client("s3", endpoint_url=url, region_name="us-east-1").create_bucket(Bucket="bench")
        warm_up = work / "warm-up.tif"
        _tiff(warm_up, 1)
        for storage_url in STORES.values():  # the reader process and the store's connections, made once
            settings.STORAGE_URL, settings.AWS_S3_ENDPOINT_URL = storage_url, url
            _run(warm_up, bool(storage_url), 1, work)
        print("| MiB | storage | store (s) | MB/s | stream back (s) | MB/s | extract, cold cache (s) "
              "| extract, warm cache (s) |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for mib in [int(n) for n in args.sizes.split(",")]:
            source = work / f"{mib}MiB.tif"
            _tiff(source, mib)
            megabytes = source.stat().st_size / 1e6
            for storage, storage_url in STORES.items():
                settings.STORAGE_URL, settings.AWS_S3_ENDPOINT_URL = storage_url, url
                got = _run(source, bool(storage_url), args.repeat, work)
                print(f"| {mib} | {storage} | {got['put']:.3f} | {megabytes / got['put']:.0f} "
                      f"| {got['stream']:.3f} | {megabytes / got['stream']:.0f} | {got['cold']:.2f} "
                      f"| {got['warm']:.2f} |", flush=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
