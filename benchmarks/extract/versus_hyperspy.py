"""`python -m benchmarks.extract.versus_hyperspy [--repeat N] [--corpus DIR] [--no-synthetic]`: per file, the
time and peak memory of records.process.process_file (every signal's metadata and 500 px preview) next to a
bare `hyperspy.load` of the same file, in the same run, as ratios; over the corpus and over synthetic files
of each format made here (large enough that the readers work lazily). Prints a Markdown table.

Times are medians of runs alternating between the two. Memory is the growth of the peak resident size
(VmHWM) of a fresh process, the libraries already imported, doing that one file (for ours, what the reader
process does: `records.process._work`); the budget is the file's largest array plus 300 MB."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.extract.__main__ import _interleaved_medians

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = Path(os.environ.get("LIMS_TEST_CORPUS", REPO.parent / "shared" / "corpus"))
BUDGET_BYTES = 300 * 1024**2  # allowed above the largest array of the file
SKIPPED = {".md"}

_CHILD = """
import sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {repo!r})
import hyperspy.api as hs
from benchmarks.extract.__main__ import high_water, work_peak
from records.process import process_file
from records.extractors import MODULES, _module
from records.previews import image, diffraction, spectrum, spectrum_image, stack, fourd, volume, text
from records.previews.canvas import font
from records.units import quantity
font(10), font(11), font(12), quantity(1, "V", "acceleration_voltage"), [_module(name) for name in MODULES]
import rsciio.{plugin}
(hs.load if {ours!r} is False else process_file)  # (above: one-time costs of a worker, not of a file)
if {ours!r}:
    print(work_peak({path!r}, {out!r}))
else:
    before = high_water()
    hs.load({path!r})
    print(high_water() - before)
"""


def _plugin(path: Path) -> str:
    """The RosettaSciIO module our extraction of `path` uses (imported up front in the memory probes)."""
    from records.extractors import extract

    names = {"dm": "digitalmicrograph", "tia": "tia", "spc": "edax", "msa": "msa", "emd": "emd", "bruker": "bruker",
             "mrc": "mrc", "jeol": "jeol", "mib": "quantumdetector", "tofwerk": "tofwerk", "hspy": "hspy"}
    return names.get(extract(path).extractor, "tiff")


def _peak(path: Path, out: Path, ours: bool) -> int:
    code = _CHILD.format(repo=str(REPO), plugin=_plugin(path), ours=ours, path=str(path), out=str(out))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else -1


def _largest_array(path: Path) -> int:
    from records.extractors import extract

    extraction = extract(path)
    return max([extraction.data_bytes] + [s.data_bytes for s in extraction.signals])


def _measure(path: Path, out: Path, repeat: int) -> dict:
    import warnings

    import hyperspy.api as hs

    from records.extractors import extract
    from records.process import process_file

    warnings.simplefilter("ignore")
    row = {"file": path.name, "extractor": extract(path).extractor, "largest": _largest_array(path)}
    try:
        hs.load(str(path))
    except Exception as exc:  # noqa: BLE001 - formats HyperSpy does not read have no baseline
        row["baseline_error"] = type(exc).__name__
        return row
    theirs = lambda: hs.load(str(path))  # noqa: E731
    ours = lambda: process_file(path, out)  # noqa: E731
    row["theirs"], row["ours"] = _interleaved_medians(theirs, ours, repeat)
    row["theirs_peak"], row["ours_peak"] = _peak(path, out, False), _peak(path, out, True)
    return row


def synthetic(folder: Path) -> list[Path]:
    """Files of each format the tests make, at sizes where reading lazily and reducing in chunks matter."""
    import numpy as np
    import tifffile
    from rsciio.blockfile import file_writer as write_blockfile
    from rsciio.hspy import file_writer as write_hspy
    from rsciio.ripple import file_writer as write_ripple

    from tests.data.make_dm import MICROSCOPE, image_group, write_dm
    from tests.data.make_mrc import make_mrc
    from tests.data.make_msa import make_iso2022_msa
    from tests.data.make_signals import axis, make_ncem_emd, make_nion, signal
    from tests.data.make_tiff import make_him_tiff, make_tescan_tiff, make_tvips_tiff

    rng = np.random.default_rng(0)
    made = [make_iso2022_msa(folder), make_tvips_tiff(folder), make_tescan_tiff(folder, sidecar=True),
            make_him_tiff(folder), make_ncem_emd(folder), make_nion(folder), make_mrc(folder)]
    spectrum_image = signal(rng.poisson(5, (128, 128, 1024)).astype(np.float32),
                            [axis("y", 128, 2.0, "nm", True), axis("x", 128, 2.0, "nm", True),
                             axis("Energy", 1024, 0.01, "keV", False)], "EDS map", "EDS_TEM", elements=["Fe", "Cu"])
    write_hspy(str(folder / "si_64MB.hspy"), spectrum_image, show_progressbar=False)
    write_ripple(str(folder / "si_64MB.rpl"), spectrum_image)
    patterns = rng.integers(0, 30, (64, 64, 96, 96), dtype=np.uint8)
    patterns[:, :, 44:52, 44:52] = 200
    write_blockfile(str(folder / "scan_38MB.blo"), signal(patterns, [
        axis("y", 64, 1.0, "nm", True), axis("x", 64, 1.0, "nm", True), axis("ky", 96, 1.0, "", False),
        axis("kx", 96, 1.0, "", False)], "scan", "electron_diffraction"), show_progressbar=False)
    big = rng.integers(0, 4000, (2048, 2048), dtype=np.uint16)
    write_dm(folder / "two_images.dm4", [image_group(big.astype(np.float32), MICROSCOPE, "HAADF", scales=(0.1, 0.1),
                                                      units=("nm", "nm")),
                                         image_group(big, MICROSCOPE, "BF", scales=(0.1, 0.1), units=("nm", "nm"))], 4)
    tifffile.imwrite(folder / "lzw_2k.tif", np.dstack([big.astype(np.uint8)] * 3), photometric="rgb", compression="lzw")
    return made + sorted(folder.glob("*_*MB.*")) + [folder / "two_images.dm4", folder / "lzw_2k.tif"]


def _table(rows: list[dict]) -> str:
    lines = ["| file | extractor | hyperspy.load (ms) | ours (ms) | time ratio | hyperspy peak (MB) | ours peak (MB) "
             "| largest array (MB) | ours within budget |", "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        largest = row["largest"] / 1e6
        if "baseline_error" in row:
            lines.append(f"| {row['file']} | {row['extractor']} | fails ({row['baseline_error']}) | - | - | - | - "
                         f"| {largest:.1f} | - |")
            continue
        within = "yes" if 0 <= row["ours_peak"] <= row["largest"] + BUDGET_BYTES else "NO"
        lines.append(f"| {row['file']} | {row['extractor']} | {row['theirs'] * 1e3:.1f} | {row['ours'] * 1e3:.1f} "
                     f"| {row['ours'] / row['theirs']:.2f} | {row['theirs_peak'] / 1e6:.1f} | {row['ours_peak'] / 1e6:.1f} "
                     f"| {largest:.1f} | {within} |")
    return "\n".join(lines)


def _summary(rows: list[dict]) -> str:
    measured = [r for r in rows if "baseline_error" not in r]
    if not measured:
        return "No file HyperSpy reads."
    ratios = sorted(r["ours"] / r["theirs"] for r in measured)
    worst = max(measured, key=lambda r: r["ours"] / r["theirs"])
    over = [r["file"] for r in measured if not 0 <= r["ours_peak"] <= r["largest"] + BUDGET_BYTES]
    return (f"{len(measured)} files HyperSpy reads: median time ratio {statistics.median(ratios):.2f}, "
            f"worst {ratios[-1]:.2f} ({worst['file']}); {sum(1 for r in ratios if r <= 1.0)} at or below 1. "
            f"Peak memory within the largest array + 300 MB: {len(measured) - len(over)} of {len(measured)}"
            + (f" (over: {', '.join(over)})" if over else "") + ".")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real instrument files")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per file (median is reported)")
    parser.add_argument("--no-synthetic", action="store_true", help="only the corpus, no generated files")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    paths = sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix not in SKIPPED) \
        if args.corpus.is_dir() else []
    if not paths:
        print(f"no corpus at {args.corpus}; only synthetic files are measured", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        if not args.no_synthetic:
            generated = Path(folder) / "synthetic"
            generated.mkdir()
            paths += synthetic(generated)
        rows = [_measure(path, Path(folder) / "preview.png", args.repeat) for path in paths]
    print(_table(rows))
    print()
    print(_summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
