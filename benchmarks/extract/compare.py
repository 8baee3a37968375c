"""`python -m benchmarks.extract.compare OTHER_CHECKOUT [--repeat N]`: per corpus file, process_file of another
checkout (e.g. the previous commit, unpacked with `git archive`) against this one, side by side, with reading
alone; one worker process per checkout, asked in turn, so all three see the same machine load."""
import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.extract.__main__ import DEFAULT_CORPUS, READERS, REPO

_WORKER = r"""
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from benchmarks.extract.__main__ import READERS
from records.extractors import extract
from records.process import process_file

out = Path(tempfile.mkdtemp()) / "preview.png"
for line in sys.stdin:
    action, name = line.rstrip("\n").split(" ", 1)
    path = Path(name)
    if action == "kind":
        print(extract(path).extractor, flush=True)
        continue
    start = time.perf_counter()
    try:
        process_file(path, out) if action == "ours" else READERS[action][1](path)
    except Exception as exc:  # e.g. the damaged FEI TIFF: reading alone fails
        print(f"fails ({type(exc).__name__})", flush=True)
        continue
    print(time.perf_counter() - start, flush=True)
"""


class _Worker:
    """A Python process with one checkout on its path, answering one request per line."""

    def __init__(self, checkout: Path):
        self.process = subprocess.Popen([sys.executable, "-c", _WORKER, str(checkout)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def ask(self, action: str, path: Path) -> str:
        self.process.stdin.write(f"{action} {path}\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()


def _reading(path: Path, extractor: str) -> Path | None:
    """The file the plain reader opens (a .ser through its .emi), or None when there is nothing to compare."""
    if extractor not in READERS or (extractor == "tia" and path.suffix.lower() not in (".ser", ".emi")):
        return None
    if extractor == "tia" and path.suffix.lower() == ".ser":
        emi = path.with_name(path.stem.rsplit("_", 1)[0] + ".emi")
        return emi if emi.exists() else path
    return path


def _row(path: Path, other: _Worker, this: _Worker, repeat: int) -> str | None:
    extractor = this.ask("kind", path)
    reading = _reading(path, extractor)
    if reading is None:
        return None
    first = this.ask(extractor, reading)
    if first.startswith("fails"):
        return f"| {path.name} | {first} | - | - | - | - |"
    times: dict[str, list[float]] = {"read": [], "other": [], "this": []}
    other.ask("ours", path), this.ask("ours", path)  # warm caches
    for _ in range(repeat):
        times["read"].append(float(this.ask(extractor, reading)))
        times["other"].append(float(other.ask("ours", path)))
        times["this"].append(float(this.ask("ours", path)))
    read, before, after = (statistics.median(times[key]) * 1e3 for key in ("read", "other", "this"))
    return f"| {path.name} | {read:.1f} | {before:.1f} | {after:.1f} | {before / read:.2f} | {after / read:.2f} |"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of the project (with records/ and benchmarks/)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of real instrument files")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per file and version (median is reported)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; set LIMS_TEST_CORPUS", file=sys.stderr)
        return 2
    other, this = _Worker(args.other.resolve()), _Worker(REPO)
    print("| file | read (ms) | other (ms) | this (ms) | other ratio | this ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix != ".md"):
        row = _row(path, other, this, args.repeat)
        if row:
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
