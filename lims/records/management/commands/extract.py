"""`manage.py extract PATH... [--json] [--preview-dir DIR] [--original]`: metadata and previews of files."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.process import expand, process_file

_TABLE_KEYS = ("acceleration_voltage", "pixel_size_x", "magnification", "acquisition_time")


def _preview_name(folder: Path, path: Path, used: set) -> Path:
    """`<name>.png` in the preview folder, numbered when two files share a name."""
    candidate, number = folder / f"{path.name}.png", 1
    while candidate in used:
        number += 1
        candidate = folder / f"{path.name}.{number}.png"
    used.add(candidate)
    return candidate


def _short(value) -> str:
    if isinstance(value, dict) and "value" in value:
        return f"{value['value']:g} {value['unit']}"
    return "" if value is None else str(value)


class Command(BaseCommand):
    requires_system_checks = []  # reads files only: no database, no deployment settings needed
    help = "Extract canonical metadata (and previews) from files or folders; one JSON line per file with --json."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files or folders (folders are walked).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object per line per file.")
        parser.add_argument("--preview-dir", metavar="DIR", help="Write a PNG preview of each file into DIR.")
        parser.add_argument("--original", action="store_true",
                            help="Include the vendor's original metadata tree in the JSON output.")
        parser.add_argument("--size", type=int, default=500, help="Preview size in pixels (default 500).")

    def handle(self, *args, **options):
        if not options["paths"]:
            raise CommandError("give at least one file or folder to extract")
        folder = Path(options["preview_dir"]) if options["preview_dir"] else None
        if folder is not None:
            if folder.exists() and not folder.is_dir():
                raise CommandError(f"--preview-dir {folder} is a file, not a folder")
            folder.mkdir(parents=True, exist_ok=True)
        if options["size"] < 16:
            raise CommandError("--size must be at least 16 pixels")
        used: set = set()
        failed = 0
        files = expand(options["paths"])
        for path in files:
            preview = _preview_name(folder, path, used) if folder else None
            result = process_file(path, preview, size=options["size"])
            failed += bool(result["error"])
            if not options["original"]:
                result.pop("original_metadata", None)
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self._row(result)
        if not options["json"]:
            self.stdout.write(f"{len(files)} file(s), {failed} with errors")

    def _row(self, result: dict) -> None:
        metadata = result["metadata"]
        facts = "  ".join(_short(metadata.get(key)) for key in _TABLE_KEYS if metadata.get(key) is not None)
        status = f"ERROR {result['error']}" if result["error"] else "ok"
        self.stdout.write(f"{result['path']}  [{result['format']}]  {result['signal_type']}  {facts}  {status}")
