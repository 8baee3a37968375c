"""The Extraction result shared by every extractor and the helpers that fill it from a MAPPING."""
import datetime as _dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from records.units import clean_unit, quantity

# A MAPPING row: (vendor key path, canonical key, unit of the vendor value or None, converter or None).
Row = tuple[str, str, str | None, Callable[[Any], Any] | None]
PATH_SEPARATOR = "."
MAX_LIST_ITEMS = 64  # longer lists and arrays in vendor trees are summarised in original_metadata


@dataclass(frozen=True)
class Data:
    """What a loader returns: the array (or text, or points) and its axes in array order."""

    array: Any
    axes: tuple = ()  # axis dicts: name, size, scale, offset, unit, navigate


@dataclass(frozen=True)
class Extraction:
    """Everything one extractor found in one file; `load()` reads the data only when a preview needs it."""

    path: str
    format: str
    extractor: str
    metadata: dict = field(default_factory=dict)
    original_metadata: dict = field(default_factory=dict)
    warnings: tuple = ()
    error: str | None = None
    loader: Callable[[], Data] | None = field(default=None, compare=False, repr=False)
    data_bytes: int = 0  # decoded size of the data, known before loading it
    # A file holding several signals (a DM3 with two images, an EMD with image and spectrum image):
    # this Extraction describes the main one, `signals` each further one with its own metadata and loader.
    signals: tuple["Extraction", ...] = ()
    preview: str | None = None  # where records.process wrote this signal's preview PNG

    @property
    def signal_type(self) -> str:
        return self.metadata.get("signal_type", "other")


def lookup(tree: Any, path: str) -> Any:
    """The value at a dotted path in nested dicts, or None."""
    node = tree
    for part in path.split(PATH_SEPARATOR):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def apply_mapping(tree: dict, mapping: tuple[Row, ...]) -> tuple[dict, list[str]]:
    """Canonical metadata from a vendor tree: the first row that yields a value wins for each key."""
    metadata: dict = {}
    warnings: list[str] = []
    for path, key, unit, convert in mapping:
        if key in metadata:
            continue
        raw = lookup(tree, path)
        if raw is None or (isinstance(raw, (str, list, tuple)) and len(raw) == 0):
            continue
        try:
            value = convert(_shortest(raw)) if convert else _shortest(raw)
            if value is None or value == "":
                continue
            metadata[key] = quantity(value, unit, key) if unit else _plain(value)
        except (TypeError, ValueError, ArithmeticError) as exc:
            warnings.append(f"{path}: value {raw!r} not understood ({exc})")
    return metadata, warnings


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-serialisable copy of a vendor tree (numpy scalars and arrays, bytes, dates)."""
    if depth > 40:
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_LIST_ITEMS:  # calibration tables, LUTs: summarised, not copied
            return f"<{len(value)} values>"
        return [jsonable(v, depth + 1) for v in value]
    if isinstance(value, (str, bool, int)) or value is None:
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, bytes):
        return value.decode("latin-1").rstrip("\x00")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        if getattr(value, "size", 0) > MAX_LIST_ITEMS:
            return f"<array {getattr(value, 'shape', '')} {getattr(value, 'dtype', '')}>"
        return jsonable(value.tolist(), depth + 1)
    return str(value)


def dimensions(axes: list[dict]) -> list[dict]:
    """Canonical axis dicts (name, size, scale, offset, unit, navigate) from rsciio-style axes."""
    result = []
    for axis in axes:
        result.append({
            "name": str(axis.get("name") or ""),
            "size": int(axis.get("size", 1)),
            "scale": float(axis.get("scale", 1.0) or 1.0),
            "offset": float(axis.get("offset", 0.0) or 0.0),
            "unit": clean_unit(str(axis.get("units") or axis.get("unit") or "")),
            "navigate": bool(axis.get("navigate", False)),
        })
    return result


def array_bytes(shape: tuple, dtype: Any) -> int:
    """Decoded size in bytes of an array of this shape and dtype, computed without loading it."""
    import numpy as np

    count = 1
    for size in shape:
        count *= int(size)
    return count * np.dtype(dtype).itemsize


def file_facts(path: str) -> dict:
    """Canonical facts every file has: size and modification time."""
    stat = os.stat(path)
    modified = _dt.datetime.fromtimestamp(stat.st_mtime, tz=_dt.timezone.utc)
    return {"size": stat.st_size, "modified_time": modified.isoformat(timespec="seconds")}


def iso_time(date: str, time: str = "", formats: tuple[str, ...] = ()) -> str | None:
    """ISO 8601 from vendor date and time strings tried against `formats`; None when none fits."""
    text = f"{date} {time}".strip()
    for fmt in formats:
        try:
            return _dt.datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    return None


def acquisition_mode(text: str) -> str | None:
    """The canonical acquisition mode a vendor's mode text names: "STEM nP Mi Zoom Diffraction" -> STEM,
    " TEM uP SA Zoom Image" -> TEM, "EFTEM Imaging" -> EFTEM, "Diffraction" -> diffraction."""
    words = str(text or "").upper().replace("-", " ").split()
    for word, mode in (("STEM", "STEM"), ("EFTEM", "EFTEM"), ("SEM", "SEM"), ("FIB", "FIB")):
        if word in words:
            return mode
    if "DIFFRACTION" in words or "DIFF" in words:
        return "diffraction"
    return "TEM" if "TEM" in words else None


def nonzero(value) -> float | None:
    """The number, or None when it is 0: what many vendors write for "not recorded"."""
    return float(value) if float(value) != 0.0 else None


def single(value) -> float:
    """A number stored as float32 as the decimal it was written as (0.8, not 0.800000011921)."""
    import numpy as np

    return float(str(np.float32(value)))


def _shortest(value: Any) -> Any:
    """A float32 as the decimal it was written as (30.000002, not 30.0000019073)."""
    dtype = getattr(value, "dtype", None)
    if dtype is not None and getattr(value, "size", 0) == 1 and dtype.kind == "f" and dtype.itemsize <= 4:
        return float(str(value))
    return value


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:
        return value.item()
    if isinstance(value, str):
        return value.strip()
    return value
