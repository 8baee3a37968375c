"""Where a session's files are kept: hashing them, and a storage name the file system can always hold.

A file keeps its own name (and folders) under the session folder whenever the file system allows
it. Some valid names cannot be stored as they are: a name part longer than the file system's
limit (255 bytes on most Linux file systems, while Windows counts 255 characters, so 100 Japanese
characters fit there and not here), a file named like a folder that already holds files (`a/b`
after `a/b/c.txt`, or the reverse), or a name already holding another file's bytes (`a.v2.txt`
next to version 2 of `a.txt`). Such a file is stored as `.renamed/<hash><extension>` instead
(`DataFile.stored_as`), while the record, the pages and downloads keep its original name
(`DataFile.relative_path`). Nothing is refused for its name alone.
"""
import hashlib
import os
from pathlib import Path, PurePosixPath

from django.conf import settings

PIECE = 1024 * 1024
RENAMED_FOLDER = ".renamed"
NAME_MAX = 255  # bytes per name part, when the file system does not say
MAX_SUFFIX_BYTES = 16


def sha256_of_stream(handle) -> str:
    """Hex sha256 of what a binary file object still holds, read a MiB at a time."""
    digest = hashlib.sha256()
    while piece := handle.read(PIECE):
        digest.update(piece)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read a MiB at a time: the one way the server hashes stored files."""
    with open(path, "rb") as handle:
        return sha256_of_stream(handle)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _limits(folder: Path) -> tuple[int, int]:
    """(longest name part, longest path) in bytes on the file system holding `folder`."""
    existing = _nearest_existing(folder)
    try:
        return os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError):
        return NAME_MAX, 4096


def fits(folder: Path, name: str) -> bool:
    """Whether `name` (a clean relative path) can be created under `folder` exactly as it is."""
    name_max, path_max = _limits(folder)
    parts = name.split("/")
    if any(len(part.encode("utf-8")) > name_max for part in parts):
        return False
    if len(os.fsencode(folder / name)) >= path_max:
        return False
    try:
        parent = folder
        for part in parts[:-1]:
            parent = parent / part
            if parent.exists() and not parent.is_dir():
                return False  # a file sits where this name needs a folder
        return not (folder / name).is_dir()  # a folder sits where this file goes
    except OSError:
        return False


def renamed(name: str) -> str:
    """The safe storage name of `name`: unique per name, short, keeping a short extension for readers.

    >>> renamed("run/a.dm3")
    '.renamed/5628f2d9a608a433aadf4f7ec0c85dfe.dm3'
    """
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
    suffix = PurePosixPath(name).suffix
    if not suffix.isascii() or len(suffix) > MAX_SUFFIX_BYTES or not suffix[1:].isalnum():
        suffix = ""
    return f"{RENAMED_FOLDER}/{digest}{suffix}"


def _claimed(datafile, name: str) -> bool:
    """Whether another DataFile of the session keeps its bytes under `name`."""
    folder = name.rpartition("/")[0]
    neighbours = type(datafile).objects.filter(session_id=datafile.session_id).exclude(pk=datafile.pk)
    if folder:
        neighbours = neighbours.filter(relative_path__startswith=f"{folder}/")
    return any(other.storage_name == name for other in neighbours.only("relative_path", "version", "stored_as"))


def stored_as(datafile) -> str:
    """For a new DataFile: "" when its bytes can go under its own name, else its safe name."""
    folder, name = datafile.session.storage_dir, datafile.stored_name
    # In an object store (STORAGE_URL) the folder is not on disk: only the database knows the names taken.
    maybe_taken = bool(settings.STORAGE_URL) or (folder / name).exists()
    if fits(folder, name) and not (maybe_taken and _claimed(datafile, name)):
        return ""
    return renamed(name)


def place(source: Path, target: Path, keep_source: bool = False) -> None:
    """Put a finished file at `target`, forced to disk; with keep_source, as a second link to the same bytes.

    A file already at `target` (a leftover nothing refers to) is replaced. Same file system only.
    """
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    target.parent.mkdir(parents=True, exist_ok=True)
    if keep_source:
        remove(target)
        os.link(source, target)
    else:
        os.replace(source, target)
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
