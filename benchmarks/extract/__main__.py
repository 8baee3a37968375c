"""`python -m benchmarks.extract [--repeat N] [--corpus DIR]`: per corpus file, the time and peak memory of
records.process.process_file (extract + 500 px preview) next to only reading the file with RosettaSciIO,
tifffile, Pillow or pypcd4, in the same run, as ratios; prints a Markdown table. Times are medians of
runs alternating between the two; memory is the growth of peak RSS in a fresh process doing one file."""
import argparse
import os
import statistics
import sys
import tempfile
import time
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(os.environ.get("LIMS_TEST_CORPUS", REPO.parent / "shared" / "corpus"))
# NexusLIMS's published per-file cost on this kind of machine (extract + preview).
HEAVY_READ_SECONDS = 0.01  # below this, the fixed cost of drawing a PNG dominates any ratio
NEXUSLIMS_SECONDS = {"dm": (0.13, 0.21), "spc": (0.13, 0.21), "msa": (0.13, 0.21), "image": (0.01, 0.12)}


def _read_rsciio(module: str):
    def read(path: Path):
        reader = __import__(f"rsciio.{module}", fromlist=["file_reader"]).file_reader
        for entry in reader(str(path)):
            entry["data"].sum()

    return read


def _read_tiff(path: Path):
    import tifffile

    with tifffile.TiffFile(path) as handle:
        handle.fei_metadata, handle.sem_metadata  # noqa: B018 - parse the vendor tags as a reader would
        handle.series[0].asarray()


def _read_pcd(path: Path):
    import pypcd4

    pypcd4.PointCloud.from_path(path).numpy(("x", "y", "z"))


def _read_image(path: Path):
    from PIL import Image

    with Image.open(path) as image:
        image.load()


def _read_text(path: Path):
    from charset_normalizer import from_bytes

    str(from_bytes(path.read_bytes()).best())


READERS = {
    "dm": ("rsciio.digitalmicrograph", _read_rsciio("digitalmicrograph")),
    "tia": ("rsciio.tia", _read_rsciio("tia")),
    "spc": ("rsciio.edax", _read_rsciio("edax")),
    "msa": ("rsciio.msa", _read_rsciio("msa")),
    "tiff_fei": ("tifffile", _read_tiff),
    "tiff_zeiss": ("tifffile", _read_tiff),
    "tiff": ("tifffile", _read_tiff),
    "pcd": ("pypcd4", _read_pcd),
    "image": ("Pillow", _read_image),
    "text": ("charset-normalizer", _read_text),
}


def _interleaved_medians(first, second, repeat: int) -> tuple[float, float]:
    """Median seconds of two actions timed alternately, so both see the same machine load."""
    first(), second()  # warm imports and caches
    times: tuple[list, list] = ([], [])
    for _ in range(repeat):
        for action, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            action()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def high_water() -> int:
    """Peak resident bytes (VmHWM) of this process: it belongs to this address space, where ru_maxrss
    would carry the peak of the parent it was started from."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def work_peak(path, out) -> int:
    """Growth of this process's peak resident size while it does for `path` what the reader process of
    `records.process.process_file` does (`_work`: extraction and previews). Measured here, not in the
    reader: a forked reader faults in its parent's file-backed pages (library code) again as it touches
    them, which its resident size would count as growth although they take no new memory."""
    from records.limits import MAX_DATA_BYTES
    from records.process import _work

    before = high_water()
    _work(Path(path), Path(out), 500, MAX_DATA_BYTES)
    return high_water() - before


_CHILD = """
import sys

sys.path.insert(0, {repo!r})
from benchmarks.extract.__main__ import READERS, high_water, work_peak
from records.process import process_file
import numpy, PIL.Image, PIL.ImageDraw, tifffile, pypcd4, charset_normalizer, dask.array, rsciio.{module}
from records.previews import image, diffraction, spectrum, spectrum_image, stack, pointcloud, text, placeholder
from records.previews.canvas import font
from records.units import quantity
from records.extractors import MODULES, _module
font(11), font(12), quantity(1, "V", "acceleration_voltage"), [_module(name) for name in MODULES]
# (above: one-time costs of a worker, not of a file)
if {ours!r}:
    print(work_peak({path!r}, {out!r}))
else:
    before = high_water()
    READERS[{extractor!r}][1](__import__("pathlib").Path({path!r}))
    print(high_water() - before)
"""


def _peak_bytes(path: Path, extractor: str, out: Path, ours: bool) -> int:
    """Growth of the peak resident memory of a fresh process (libraries already imported) doing one file."""
    module = READERS[extractor][0].split(".")[-1] if READERS[extractor][0].startswith("rsciio") else "msa"
    code = _CHILD.format(repo=str(REPO), module=module, ours=ours, path=str(path), out=str(out),
                         extractor=extractor)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else -1


def _measure(path: Path, out: Path, repeat: int) -> dict | None:
    from records.extractors import extract
    from records.process import process_file

    extractor = extract(path).extractor
    if extractor not in READERS:
        return None
    library, reader = READERS[extractor]
    reading = path
    if extractor == "tia" and path.suffix.lower() not in (".ser", ".emi"):
        return None  # rsciio cannot read a SER under another name; nothing to compare with
    if extractor == "tia" and path.suffix.lower() == ".ser":
        emi = path.with_name(path.stem.rsplit("_", 1)[0] + ".emi")
        reading = emi if emi.exists() else path  # the metadata of a .ser is in its .emi: read both, as we do
    try:
        reader(reading)
    except Exception as exc:  # noqa: BLE001 - e.g. the damaged FEI TIFF: report that reading alone fails
        return {"file": path.name, "extractor": extractor, "library": library, "error": type(exc).__name__}
    ours = lambda: process_file(path, out)  # noqa: E731
    theirs = lambda: reader(reading)  # noqa: E731
    read, extracted = _interleaved_medians(theirs, ours, repeat)
    return {
        "file": path.name, "extractor": extractor, "library": library, "ours": extracted, "read": read,
        "ours_peak": _peak_bytes(path, extractor, out, True), "read_peak": _peak_bytes(reading, extractor, out, False),
    }


def _memory_ratio(row: dict) -> str:
    """Ratio of peak growths; "-" when reading alone grows the peak by less than a megabyte (page noise)."""
    if row["read_peak"] < 1e6:
        return "-"
    return f"{row['ours_peak'] / row['read_peak']:.2f}"


def _table(rows: list[dict]) -> str:
    lines = ["| file | extractor | read with | read (ms) | extract+preview (ms) | time ratio | added (ms) "
             "| read peak (MB) | ours peak (MB) | memory ratio |", "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['file']} | {row['extractor']} | {row['library']} | fails ({row['error']}) "
                         "| - | - | - | - | - | - |")
            continue
        lines.append(
            f"| {row['file']} | {row['extractor']} | {row['library']} | {row['read'] * 1e3:.1f} "
            f"| {row['ours'] * 1e3:.1f} | {row['ours'] / row['read']:.2f} | {(row['ours'] - row['read']) * 1e3:.1f} "
            f"| {row['read_peak'] / 1e6:.1f} "
            f"| {row['ours_peak'] / 1e6:.1f} | {_memory_ratio(row)} |")
    return "\n".join(lines)


def _summary(rows: list[dict]) -> str:
    measured = [r for r in rows if "error" not in r]
    ratios = [r["ours"] / r["read"] for r in measured]
    heavy = [r for r in measured if r["read"] >= HEAVY_READ_SECONDS]
    heavy_ratios = [r["ours"] / r["read"] for r in heavy] or [float("nan")]
    added = sorted((r["ours"] - r["read"]) * 1e3 for r in measured)
    lines = [f"All files: median time ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f} "
             f"({max(measured, key=lambda r: r['ours'] / r['read'])['file']}).",
             f"Files whose reading takes at least {HEAVY_READ_SECONDS * 1e3:.0f} ms ({len(heavy)}): median ratio "
             f"{statistics.median(heavy_ratios):.2f}, worst {max(heavy_ratios):.2f}.",
             f"Time added by extraction + preview: median {statistics.median(added):.1f} ms, max {added[-1]:.1f} ms."]
    for family, (low, high) in NEXUSLIMS_SECONDS.items():
        ours = [r["ours"] for r in measured if r["extractor"] == family]
        if ours:
            worst = max(ours)
            lines.append(f"{family}: at most {worst * 1e3:.1f} ms per file with preview; NexusLIMS {low * 1e3:.0f}-"
                         f"{high * 1e3:.0f} ms, so {low / worst:.1f}x to {high / worst:.1f}x faster.")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real instrument files")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per file (median is reported)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; set LIMS_TEST_CORPUS", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for path in sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix != ".md"):
            row = _measure(path, Path(folder) / "preview.png", args.repeat)
            if row:
                rows.append(row)
    print(_table(rows))
    print()
    print(_summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
