"""Backups: a copy of the database plus a manifest of every stored file, the files kept once by content.

A backup folder holds `objects/<aa>/<sha256>` (each content once, shared by every backup written
there, so a file already copied is never copied again) and one folder per backup under `sets/`:

    sets/20260130T031500Z/database.dump     (or database.sqlite3)
    sets/20260130T031500Z/files.jsonl       every stored file, one JSON line each: path under DATA_ROOT,
                                            kind, sha256, size
    sets/20260130T031500Z/manifest.json     when, which database, the sha256 of the two files above

The file list is read from the same database snapshot that was copied, so the two agree; it is
streamed through files on disk, so memory does not grow with the number of stored files. A set is
written under a temporary name and renamed when complete: a backup cut short leaves no set behind.
"""
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from lims.operations import database, inventory
from lims.sessions import objects
from lims.sessions.storage import sha256_of

FORMAT = 1
OBJECTS = "objects"
SETS = "sets"
MANIFEST = "manifest.json"
FILES = "files.jsonl"
LISTED = 1000  # missing or changed files named in a manifest; the command's output names them all
INCOMING = ".incoming"


@dataclass
class BackupResult:
    """What a backup wrote: its set folder, how many files it lists, copied and reused, and what was wrong."""

    folder: Path
    files: int = 0
    copied: int = 0
    copied_bytes: int = 0
    reused: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed)


def object_path(dest: Path, sha256: str) -> Path:
    return Path(dest) / OBJECTS / sha256[:2] / sha256


def _copy_hashing(source: Path | str, temporary: Path) -> str:
    """Copy a file (a Path) or a stored file (its key, `lims.sessions.objects`) to `temporary` and hash
    what landed there (not what was read).

    Nothing is forced to disk file by file (a sync per small file costs more than the copy); the
    caller syncs once when every file is in place.
    """
    temporary.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Path):
        shutil.copyfile(source, temporary)
    else:
        with objects.open_stored(source) as handle, open(temporary, "wb") as out:
            shutil.copyfileobj(handle, out, objects.PIECE)
    return sha256_of(temporary)


def copy_checked(source: Path, target: Path) -> str:
    """Copy `source` to `target` through a temporary file beside it; returns the sha256 of what landed."""
    temporary = target.parent / f".{uuid.uuid4().hex}.copying"
    try:
        sha256 = _copy_hashing(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return sha256


def _store(source: str, dest: Path) -> str:
    """Copy a file into the store under the sha256 of its bytes; returns that sha256."""
    temporary = dest / OBJECTS / INCOMING / uuid.uuid4().hex
    try:
        sha256 = _copy_hashing(source, temporary)
        object_path(dest, sha256).parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, object_path(dest, sha256))
    finally:
        temporary.unlink(missing_ok=True)
    return sha256


def _keep(dest: Path, entry: inventory.Stored, result: BackupResult) -> dict | None:
    """Make sure the store holds this file's bytes; its manifest line, or None when the file is missing."""
    source = entry.path
    size = objects.size(source)
    if size is None:
        result.missing.append(entry.path)
        return None
    known = entry.sha256 or objects.sha256_of(source)  # previews have no recorded hash
    stored = object_path(dest, known)
    if stored.exists() and stored.stat().st_size == size:
        result.reused += 1
        return {"path": entry.path, "kind": entry.kind, "sha256": known, "size": size}
    landed = _store(source, dest)
    result.copied += 1
    result.copied_bytes += size
    if landed != known:
        result.changed.append(entry.path)
    return {"path": entry.path, "kind": entry.kind, "sha256": landed, "size": size}


def files_of(folder: Path) -> Iterator[dict]:
    """The file lines of the backup set in `folder`, one at a time."""
    with open(Path(folder) / FILES) as lines:
        for text in lines:
            yield json.loads(text)


def backup(dest: Path, now: datetime | None = None) -> BackupResult:
    """Write one backup of this installation into `dest` (made if needed); see the module docstring."""
    dest = Path(dest)
    now = now or timezone.now()
    name = now.strftime("%Y%m%dT%H%M%S%fZ")
    partial = dest / SETS / f".{name}.partial"
    partial.mkdir(parents=True)
    engine = database.engine()
    database_file = partial / database.FILE_NAMES[engine]
    listing = partial / ".listing.jsonl"
    with database.snapshot(database_file) as alias, open(listing, "w") as out:
        for entry in inventory.stored_files(alias):
            out.write(json.dumps(asdict(entry)) + "\n")
    result = BackupResult(folder=dest / SETS / name)
    with open(listing) as listed, open(partial / FILES, "w") as out:
        for text in listed:
            line = _keep(dest, inventory.Stored(**json.loads(text)), result)
            if line is not None:
                out.write(json.dumps(line) + "\n")
                result.files += 1
    listing.unlink()
    manifest = {
        "format": FORMAT, "created": now.isoformat(), "engine": engine,
        "database": {"file": database_file.name, "sha256": sha256_of(database_file)},
        "files": {"file": FILES, "count": result.files, "sha256": sha256_of(partial / FILES)},
        "missing": result.missing[:LISTED], "changed": result.changed[:LISTED],
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1))
    os.sync()  # every copied file and the manifest are on disk before the set is called complete
    os.replace(partial, result.folder)
    return result
