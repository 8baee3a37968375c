"""Downsampled arrays for interactive plots: a spectrum's points, a spectrum image's navigator and per-pixel
spectra. Each is small enough for a page to draw and for one request to read.

`prepare(path, folder, max_bytes)` reads a file once and writes what the plots need into `folder`
(`plot.json`, plus `cube.npy` for a spectrum image); `pixel(folder, x, y)` then reads one pixel's
spectrum from the cube without loading the rest.
"""
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from records.errors import RecordsError
from records.extractors import extract

MAX_POINTS = 2048  # points of a spectrum as drawn
MAX_NAVIGATOR = 64  # pixels along each side of a spectrum image's navigator
MAX_CHANNELS = 1024  # channels of each per-pixel spectrum
PLOTTED = frozenset({"spectrum", "spectrum_image"})
PLOT_FILE = "plot.json"
CUBE_FILE = "cube.npy"


class NotPlottable(RecordsError):
    """The file has no data that can be drawn as a spectrum (or it is too large to read for a plot)."""


def _binned(array: np.ndarray, axis: int, most: int) -> np.ndarray:
    """Means over runs of neighbouring values along `axis`, so that at most `most` remain."""
    size = array.shape[axis]
    factor = math.ceil(size / most)
    if factor <= 1:
        return array
    usable = size - size % factor
    array = np.take(array, range(usable), axis=axis) if usable != size else array
    shape = array.shape[:axis] + (usable // factor, factor) + array.shape[axis + 1:]
    return array.reshape(shape).mean(axis=axis + 1)


def _energy_axis(axis: dict, size: int, binned: int) -> list[float]:
    """Calibrated positions of `binned` bins over `size` channels (bin centres)."""
    scale = float(axis.get("scale") or 1.0)
    offset = float(axis.get("offset") or 0.0)
    factor = size // binned if binned else 1
    centres = offset + scale * (np.arange(binned) * factor + (factor - 1) / 2.0)
    return [float(f"{value:.6g}") for value in centres]


def _finite(values: np.ndarray) -> list:
    values = np.asarray(values, dtype=np.float64)
    return [float(f"{v:.6g}") if math.isfinite(v) else None for v in values.tolist()]


def _loaded(path, max_bytes: int):
    extraction = extract(str(path))
    if extraction.signal_type not in PLOTTED or extraction.loader is None:
        raise NotPlottable(f"{Path(path).name} is not a spectrum or spectrum image.")
    if extraction.data_bytes > max_bytes:
        raise NotPlottable(f"{Path(path).name} holds {extraction.data_bytes} bytes of data, more than the "
                           f"{max_bytes} read for an interactive plot; its preview shows the whole signal.")
    data = extraction.loader()
    array = np.asarray(data.array)
    if np.iscomplexobj(array):
        array = np.abs(array)
    return extraction.signal_type, array.astype(np.float32, copy=False), list(data.axes)


def _write_atomically(target: Path, write) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _save_array(name: str, array: np.ndarray) -> None:
    with open(name, "wb") as handle:
        np.save(handle, array)


def _axis_info(axis: dict) -> dict:
    return {"name": str(axis.get("name") or ""), "unit": str(axis.get("unit") or "")}


def prepare(path, folder, max_bytes: int) -> dict:
    """Read the file, write `plot.json` (and `cube.npy` for a spectrum image) into `folder`, return the plot.

    The plot: {"kind", "x", "y", "x_axis": {name, unit}} for both kinds, plus "navigator" (rows of
    pixel sums, at most MAX_NAVIGATOR a side) and "navigator_axes" for a spectrum image.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kind, array, axes = _loaded(path, max_bytes)
    signal_axis = axes[-1] if axes else {}
    channels = array.shape[-1]
    plot = {"kind": kind, "x_axis": _axis_info(signal_axis)}
    if kind == "spectrum" or array.ndim == 1:
        summed = array.reshape((-1, channels)).sum(axis=0) if array.ndim > 1 else array
        y = _binned(summed, 0, MAX_POINTS)
        plot.update(kind="spectrum", x=_energy_axis(signal_axis, channels, len(y)), y=_finite(y))
    else:
        # navigation rows x columns x channels; a line scan is one row, extra navigation axes become rows
        cube = array[np.newaxis] if array.ndim == 2 else array.reshape((-1,) + array.shape[-2:])
        cube = _binned(_binned(_binned(cube, 0, MAX_NAVIGATOR), 1, MAX_NAVIGATOR), 2, MAX_CHANNELS)
        cube = np.ascontiguousarray(cube, dtype=np.float32)
        navigator = cube.sum(axis=2)
        binned_x = _energy_axis(signal_axis, channels, cube.shape[2])
        plot.update(
            x=binned_x, y=_finite(cube.sum(axis=(0, 1))), navigator=[_finite(row) for row in navigator],
            navigator_axes=[_axis_info(axis) for axis in axes[:-1]][-2:],
        )
        _write_atomically(folder / CUBE_FILE, lambda name: _save_array(name, cube))
    _write_atomically(folder / PLOT_FILE, lambda name: Path(name).write_text(json.dumps(plot)))
    return plot


def cached(folder) -> dict | None:
    """The plot written by `prepare`, or None."""
    try:
        return json.loads((Path(folder) / PLOT_FILE).read_text())
    except (OSError, ValueError):
        return None


def pixel(folder, x: int, y: int) -> list | None:
    """One navigator pixel's spectrum (at the navigator's resolution), read from the cube; None outside it."""
    cube = np.load(Path(folder) / CUBE_FILE, mmap_mode="r")
    if not (0 <= y < cube.shape[0] and 0 <= x < cube.shape[1]):
        return None
    return _finite(np.asarray(cube[y, x]))
