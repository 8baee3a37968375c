"""Records and their files: lazy searches, counts, tables, sha256-checked downloads, HyperSpy loading."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import Iterator

from lims_client.connection import Connection
from lims_client.errors import ChecksumMismatch, LimsError

PAGE_SIZE = 100
CHUNK = 1 << 20
SUMMARY_COLUMNS = ("id", "title", "instrument", "experimenter", "project", "sample", "start", "end", "file_count",
                   "error_count", "activity_count", "formats", "modes", "url")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _inside(directory: Path, name: str) -> Path:
    """`directory/name`, refusing names that would leave the directory (absolute, or with ..)."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", "/")]
    if not parts or any(p == ".." for p in parts):
        raise LimsError(f"refusing to write the file name {name!r} outside {directory}")
    return directory.joinpath(*parts)


PREFIXES = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "m": 1e-3, "u": 1e-6, "µ": 1e-6, "n": 1e-9, "p": 1e-12}


def _quantity(value):
    """(number, unit) of a metadata value: {"value", "unit"} or a plain value."""
    if isinstance(value, dict) and "value" in value:
        return value["value"], value.get("unit", "")
    return value, ""


def _factor(unit: str, base: str):
    prefix = unit[:len(unit) - len(base)] if base and unit.endswith(base) else None
    return PREFIXES.get(prefix) if prefix is not None else None


def convert(value, unit: str, target: str):
    """`value` in `unit` expressed in `target` when they differ by an SI prefix (200000 V -> 200 kV), else None.

    >>> convert(200000, "V", "kV")
    200.0
    """
    if unit == target:
        return value
    for cut in range(len(target)):
        base = target[cut:]
        have, want = _factor(unit, base), _factor(target, base)
        if have is not None and want is not None and isinstance(value, (int, float)):
            return value * have / want
    return None


class File:
    """One file of a record: `name`, `size`, `sha256`, `format`, `metadata` (canonical, with units)."""

    def __init__(self, conn: Connection, record_id: int, data: dict):
        self._conn = conn
        self.record_id = record_id
        self.data = data
        self.id = data["id"]
        self.name = data["name"]
        self.size = data.get("size")
        self.sha256 = data.get("sha256")
        self.format = data.get("format")
        self.metadata = data.get("metadata") or {}
        self.error = data.get("error") or ""

    def __repr__(self) -> str:
        return f"<File {self.id} {self.name!r} ({self.size} bytes)>"

    def download(self, directory: str | os.PathLike = ".", progress: bool = False) -> Path:
        """Save the file under `directory` (keeping its folders), streamed and checked against its sha256.

        A local copy with the same sha256 is kept and nothing is transferred. A download whose
        checksum does not match raises ChecksumMismatch and leaves nothing behind.
        """
        target = _inside(Path(directory), self.name)
        if target.is_file() and target.stat().st_size == self.size and sha256_of(target) == self.sha256:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        digest = hashlib.sha256()
        bar = _progress(progress, self.size, self.name)
        try:
            with self._conn.stream(f"/records/{self.record_id}/files/{self.id}/") as response, \
                    open(partial, "wb") as out:
                for chunk in response.iter_bytes(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    self._conn.bytes_downloaded += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
            if self.sha256 and digest.hexdigest() != self.sha256:
                raise ChecksumMismatch(f"{self.name}: sha256 {digest.hexdigest()} is not {self.sha256}")
            os.replace(partial, target)
        finally:
            if bar is not None:
                bar.close()
            if partial.exists():
                partial.unlink()
        return target

    def load(self, directory: str | os.PathLike | None = None, **kwargs):
        """The file as a HyperSpy signal (downloaded first, into `directory` or a cache folder)."""
        try:
            import hyperspy.api as hs
        except ImportError:
            raise ImportError("file.load() needs HyperSpy: pip install 'lims-client[hyperspy]'") from None
        folder = Path(directory) if directory else _cache_dir() / str(self.record_id)
        return hs.load(str(self.download(folder)), **kwargs)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lims-client"


def _progress(wanted: bool, total, name: str):
    if not wanted:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=name)


class Record:
    """One record: its summary fields as attributes (`title`, `instrument`, ...), `files`, `download()`."""

    def __init__(self, conn: Connection, data: dict):
        self._conn = conn
        self.data = data
        self.id = data["id"]
        self._files = None

    def __getattr__(self, name: str):
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"<Record {self.id} {self.data.get('title')!r}>"

    @property
    def files(self) -> list[File]:
        """Every file of the record (read once, page by page)."""
        if self._files is None:
            self._files = [File(self._conn, self.id, item)
                           for item in self._conn.pages(f"/api/v1/records/{self.id}/files/", hidden=True)]
        return self._files

    def file(self, file_id: int) -> File:
        return File(self._conn, self.id, self._conn.get(f"/api/v1/records/{self.id}/files/{file_id}/", hidden=True))

    def download(self, directory: str | os.PathLike = ".", progress: bool = False) -> list[Path]:
        """Every file under `directory`, each checked; files already there with the same sha256 are skipped."""
        return [f.download(directory, progress) for f in self.files]


class Search:
    """The records matching a query, fetched a page at a time as you iterate."""

    def __init__(self, conn: Connection, query: str, sort: str = "date", page_size: int = PAGE_SIZE):
        self._conn = conn
        self.query = query
        self.sort = sort
        self.page_size = page_size

    def __iter__(self) -> Iterator[Record]:
        for item in self._conn.pages("/api/v1/records/", self.page_size, q=self.query, sort=self.sort):
            yield Record(self._conn, item)

    def count(self) -> int:
        return self._conn.get("/api/v1/records/", q=self.query, page_size=1)["count"]

    def to_pandas(self, columns=None):
        """A DataFrame, one row per record. Columns are summary fields or metadata names; a metadata column
        takes the first file's value that has it, in one unit named in the column ("acceleration_voltage [kV]":
        the first unit met; a value in a unit that differs by more than an SI prefix is left empty)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install 'lims-client[pandas]'") from None
        columns = list(columns or SUMMARY_COLUMNS)
        rows = []
        units: dict[str, str] = {}
        for record in self:
            row = {}
            for column in columns:
                if column in record.data:
                    row[column] = record.data[column]
                    continue
                value = None
                for f in record.files:
                    if column in f.metadata:
                        value, unit = _quantity(f.metadata[column])
                        if unit:
                            value = convert(value, unit, units.setdefault(column, unit))
                        break
                row[column] = value
            rows.append(row)
        frame = pd.DataFrame(rows, columns=columns)
        return frame.rename(columns={c: f"{c} [{u}]" for c, u in units.items()})


class Records:
    """`client.records`: search and get records."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def search(self, query: str = "", sort: str = "date", page_size: int = PAGE_SIZE) -> Search:
        return Search(self._conn, query, sort, page_size)

    def get(self, record_id: int) -> Record:
        """One record; NotVisible (a NotFound and a PermissionDenied) if it does not exist or is not yours to see."""
        return Record(self._conn, self._conn.get(f"/api/v1/records/{int(record_id)}/", hidden=True))
