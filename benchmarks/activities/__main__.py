"""Activity grouping and record XML benchmark: group 10 to 100,000 timestamps, build and validate records.

Run: `.venv/bin/python -m benchmarks.activities [--repeat 5]`. Pure Python, no database. Datasets get
realistic canonical metadata (13 keys: voltage in kV or V alternately, so unit normalisation runs,
a varying magnification and stage position, dimensions) and a 30 +- 10 s cadence with a 10-minute pause
every 2,000 files. It times `records.activities.group` (after one warm-up call that loads pint),
`records.xml.build_record` and `records.validate.validate`, reporting the best wall-clock and the best
CPU time of the repeats, then checks the cases a kernel-density grouping gets wrong. Prints Markdown
tables.
"""
import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from records.activities import group  # noqa: E402
from records.model import Dataset, Experiment  # noqa: E402
from records.validate import schema, validate  # noqa: E402
from records.xml import build_record  # noqa: E402

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
GROUP_SIZES = (10, 1_000, 10_000, 100_000)
XML_SIZES = (1_000, 10_000)
PAUSE_EVERY = 2_000


def _datasets(count: int, seed: int = 1) -> list[Dataset]:
    rng = random.Random(seed)
    seconds, out = 0.0, []
    for i in range(count):
        seconds += rng.uniform(20, 40) + (600 if i and i % PAUSE_EVERY == 0 else 0)
        when = START + timedelta(seconds=seconds)
        voltage = {"value": 300, "unit": "kV"} if i % 2 else {"value": 300000, "unit": "V"}
        metadata = {
            "vendor": "FEI", "model": "Titan", "acquisition_time": when.isoformat(), "acceleration_voltage": voltage,
            "magnification": {"value": 1000 * (1 + i % 7), "unit": ""}, "detector": "HAADF",
            "pixel_size_x": {"value": 0.25, "unit": "nm"}, "pixel_size_y": {"value": 0.25, "unit": "nm"},
            "dwell_time": {"value": 2, "unit": "us"}, "stage_x": {"value": i * 0.5, "unit": "um"},
            "signal_type": "image", "data_type": "uint16",
            "dimensions": [{"name": "x", "size": 1024, "scale": 0.25, "offset": 0, "unit": "nm", "navigate": False}],
        }
        out.append(Dataset(name=f"image_{i:06}.dm3", location=f"image_{i:06}.dm3", size=2_100_000,
                           sha256=f"{i:064x}", format="DigitalMicrograph 3", extractor="dm", signal_type="image",
                           acquired=when, preview=f"/previews/{i}.png", metadata=metadata))
    return out


def _timed(function, repeat: int) -> tuple[float, float]:
    """(best wall-clock, best CPU) seconds of `repeat` runs: on a shared machine the CPU time is the code's cost."""
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return min(wall), min(cpu)


def _experiment(datasets: list[Dataset]) -> Experiment:
    return Experiment(id="bench", title="Benchmark session", experimenter="alice", instrument_pid="titan",
                      instrument_name="FEI Titan", start=START, end=START + timedelta(days=2),
                      activities=group(datasets))


def _cases() -> list[tuple[str, str, str]]:
    def sizes(seconds):
        files = [Dataset(name=str(i), location=str(i), size=1, sha256="", signal_type="image",
                         acquired=START + timedelta(seconds=s)) for i, s in enumerate(seconds)]
        return [len(a.datasets) for a in group(files)]

    cadence = [30 * i for i in range(40)] + [1770 + 30 * i for i in range(40)]
    return [
        ("2 files, 3 h apart", "[1, 1]", str(sizes([0, 3 * 3600]))),
        ("3 files: 8 s then 2 h", "[2, 1]", str(sizes([0, 8, 2 * 3600]))),
        ("80 files every 30 s, one 10-minute pause", "[40, 40]", str(sizes(cadence))),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per size; the best is reported.")
    options = parser.parse_args()

    began = time.perf_counter()
    group(_datasets(10))
    cold = time.perf_counter() - began
    print("## Activity grouping\n")
    print(f"First call in a fresh process (loads pint): {cold * 1000:.0f} ms\n")
    print("| files | activities | group, wall (ms) | group, CPU (ms) | CPU per 1,000 files (ms) |")
    print("|---:|---:|---:|---:|---:|")
    for count in GROUP_SIZES:
        datasets = _datasets(count)
        repeat = options.repeat if count <= 10_000 else max(1, options.repeat // 2)
        wall, cpu = _timed(lambda: group(datasets), repeat)
        activities = len(group(datasets))
        print(f"| {count:,} | {activities} | {wall * 1000:.1f} | {cpu * 1000:.1f} | {cpu * 1e6 / count:.2f} |")

    schema()
    print("\n| datasets | record size (MB) | build, wall (ms) | build, CPU (ms) | validate, wall (ms) "
          "| validate, CPU (ms) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count in XML_SIZES:
        experiment = _experiment(_datasets(count))
        xml = build_record(experiment)
        assert validate(xml) == [], "benchmark record is invalid"
        build_wall, build_cpu = _timed(lambda: build_record(experiment), options.repeat)
        check_wall, check_cpu = _timed(lambda: validate(xml), options.repeat)
        print(f"| {count:,} | {len(xml) / 1e6:.1f} | {build_wall * 1000:.0f} | {build_cpu * 1000:.0f} "
              f"| {check_wall * 1000:.0f} | {check_cpu * 1000:.0f} |")

    print("\n| case | expected activities | found |")
    print("|---|---|---|")
    for case, expected, found in _cases():
        print(f"| {case} | {expected} | {found} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
