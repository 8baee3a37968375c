"""Restoring a backup into an empty installation: the database, its migrations, then every file checked by sha256.

Files go where this installation keeps them: under DATA_ROOT, or as objects under the prefix of the
object store (STORAGE_URL), whichever way the backup was made.
"""
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from lims.operations import backup, database
from lims.sessions import objects
from lims.sessions.storage import sha256_of

# Folders under DATA_ROOT that a fresh installation may already have made (caches, staging).
REBUILDABLE = {"plots", "search", ".uploads"}


class RestoreRefused(Exception):
    """Nothing was changed: the message says why and what to do."""


@dataclass
class RestoreResult:
    folder: Path
    files: int = 0
    restored_bytes: int = 0
    mismatched: list[str] = field(default_factory=list)


def find_set(source: Path) -> Path:
    """The backup to restore: `source` itself when it is one, else the latest one in a backup folder."""
    source = Path(source)
    if (source / backup.MANIFEST).is_file():
        return source
    sets = sorted(p for p in (source / backup.SETS).glob("*") if p.is_dir() and not p.name.startswith("."))
    if not sets:
        raise RestoreRefused(f"no backup in {source}: give a folder written by `backup` or one of its sets/ folders")
    return sets[-1]


def _data_root_holds_files() -> bool:
    root = Path(settings.DATA_ROOT)
    if not root.is_dir():
        return False
    return any(path.is_file() for entry in root.iterdir() if entry.name not in REBUILDABLE
               for path in ([entry] if entry.is_file() else entry.rglob("*")))


def _store_holds_objects() -> bool:
    return next(objects.listing(), None) is not None


def _target(relative: str) -> Path:
    root = Path(settings.DATA_ROOT).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise RestoreRefused(f"the manifest names a path outside DATA_ROOT: {relative!r}")
    return target


def _check_place(relative: str) -> None:
    """Refuse a manifest line naming a place outside DATA_ROOT, or outside the store's prefix."""
    if not objects.remote():
        _target(relative)
        return
    try:
        objects.clean_key(relative)
    except ValueError:
        raise RestoreRefused(f"the manifest names a path outside the object store's prefix: {relative!r}") from None


def _place(source: Path, relative: str) -> str:
    """Put the backed-up copy `source` where the stored file `relative` lives; the sha256 of what was put.

    Under DATA_ROOT the file lands through a temporary file and is hashed as it landed; in the object
    store the backup's copy is hashed and uploaded (the audit after restore reads every object back).
    """
    if objects.remote():
        sha256 = sha256_of(source)
        objects.put(source, relative, keep_source=True)
        return sha256
    target = _target(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    return backup.copy_checked(source, target)


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / backup.MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise RestoreRefused(f"cannot read {folder / backup.MANIFEST}: {exc}") from None
    if manifest.get("format") != backup.FORMAT:
        raise RestoreRefused(f"{folder} is a backup of format {manifest.get('format')!r}; this version reads "
                             f"format {backup.FORMAT}")
    return manifest


def _check(folder: Path, manifest: dict) -> None:
    """Refuse before changing anything: another engine, a damaged copy, or an installation holding data."""
    if manifest["engine"] != database.engine():
        raise RestoreRefused(f"this backup is of a {manifest['engine']} database but DATABASE_URL points at "
                             f"{database.engine()}: restore into the same kind of database")
    dump = folder / manifest["database"]["file"]
    if not dump.is_file() or sha256_of(dump) != manifest["database"]["sha256"]:
        raise RestoreRefused(f"the database copy {dump} is missing or damaged (its sha256 differs from the manifest)")
    listing = folder / manifest["files"]["file"]
    if not listing.is_file() or sha256_of(listing) != manifest["files"]["sha256"]:
        raise RestoreRefused(f"the file list {listing} is missing or damaged (its sha256 differs from the manifest)")
    store = folder.parent.parent
    absent, first = 0, ""
    for line in backup.files_of(folder):
        _check_place(line["path"])
        if not backup.object_path(store, line["sha256"]).is_file():
            absent += 1
            first = first or line["path"]
    if absent:
        raise RestoreRefused(f"{absent} files of this backup are not in {store / backup.OBJECTS}, e.g. {first}")
    if not database.is_empty():
        raise RestoreRefused("the database already holds people, instruments or sessions: restore only into an "
                             "empty installation (a new database and an empty DATA_ROOT)")
    if objects.remote() and _store_holds_objects():
        raise RestoreRefused(f"the object store {settings.STORAGE_URL} already holds objects under its prefix: "
                             f"restore only into an empty installation (a new database and an empty prefix)")
    if not objects.remote() and _data_root_holds_files():
        raise RestoreRefused(f"DATA_ROOT {settings.DATA_ROOT} already holds files: restore only into an empty "
                             f"installation (a new database and an empty DATA_ROOT)")


def restore(source: Path) -> RestoreResult:
    """Rebuild this (empty) installation from a backup; files whose bytes differ from the manifest are listed."""
    folder = find_set(source)
    manifest = _read_manifest(folder)
    _check(folder, manifest)
    database.load(folder / manifest["database"]["file"])
    call_command("migrate", interactive=False, verbosity=0)
    store = folder.parent.parent
    result = RestoreResult(folder=folder)
    for line in backup.files_of(folder):
        if _place(backup.object_path(store, line["sha256"]), line["path"]) != line["sha256"]:
            result.mismatched.append(line["path"])
        result.files += 1
        result.restored_bytes += line["size"]
    os.sync()
    return result
