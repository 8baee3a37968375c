"""What every TIFF reader shares: page shape and tags, a damaged-strip check, and a lazy pixel loader."""
import os
import struct

from records.errors import UnreadableFile
from records.extractors.base import Data, array_bytes

MAX_TAG_CHARS = 2000  # longer tag values (vendor blobs) are summarised in original_metadata
_SKIPPED_TAGS = {"StripOffsets", "StripByteCounts", "TileOffsets", "TileByteCounts", "ColorMap"}


def tags(page) -> dict:
    """The baseline tags of a page as plain values, long blobs shortened."""
    result = {}
    for tag in page.tags.values():
        if tag.name in _SKIPPED_TAGS:
            continue
        value = tag.value
        if hasattr(value, "name") and not isinstance(value, (str, bytes)):
            value = value.name
        text = value if isinstance(value, (int, float)) else str(value)
        if isinstance(text, str):
            text = text.strip("\x00")
            if len(text) > MAX_TAG_CHARS:
                text = text[:MAX_TAG_CHARS] + "..."
        result[tag.name] = text
    return result


def damage(page, file_size: int) -> str | None:
    """Why the pixel data of an uncompressed page cannot be decoded, or None when it looks whole."""
    offsets = page.dataoffsets
    counts = page.databytecounts
    if not offsets:
        return "the image has no pixel data"
    end = max(o + c for o, c in zip(offsets, counts))
    if end > file_size:
        return f"pixel data cannot be decoded: it runs to byte {end} but the file has {file_size} bytes"
    if page.compression == 1:
        needed = array_bytes(page.shape, page.dtype)
        if sum(counts) < needed:
            return f"pixel data damaged: the strips hold {sum(counts)} bytes, a {page.shape} {page.dtype} image needs {needed}"
    return None


def calibrate(axes: list[dict], metadata: dict) -> None:
    """Give the image axes the pixel size the vendor metadata states."""
    for key, name in (("pixel_size_x", "x"), ("pixel_size_y", "y")):
        size = metadata.get(key)
        for axis in axes:
            if size and axis["name"] == name:
                axis["scale"], axis["unit"] = size["value"], size["unit"]


def open_tiff(path):
    """A tifffile.TiffFile, with its failure turned into UnreadableFile."""
    import tifffile

    try:
        return tifffile.TiffFile(str(path))
    except (tifffile.TiffFileError, ValueError, IndexError, KeyError, struct.error) as exc:
        raise UnreadableFile(f"not a readable TIFF: {exc}") from exc


def _uniform_pages(handle) -> bool:
    """True when a TIFF holds several separately written pages of one shape and type (a stack)."""
    if len(handle.series) < 2:
        return False
    first = handle.series[0]
    return all(s.shape == first.shape and s.dtype == first.dtype for s in handle.series)


def describe(handle, path) -> tuple[dict, list, object, int, str | None]:
    """(canonical shape facts, axes, loader, decoded bytes, damage) of a TIFF's image data."""
    series = handle.series[0]
    page = handle.pages[0]
    problem = damage(page, os.path.getsize(path))
    stacked = _uniform_pages(handle)
    shape = ((len(handle.series),) if stacked else ()) + tuple(series.shape)
    names = (["Z"] if stacked else []) + list(series.axes)
    axes = []
    for name, size in zip(names, shape):
        if name == "S":
            continue
        axes.append({"name": {"Y": "y", "X": "x"}.get(name, name.lower()), "size": int(size), "scale": 1.0,
                     "offset": 0.0, "unit": "", "navigate": name not in "YX"})
    signal_type = "image" if len(axes) == 2 else ("stack" if len(axes) == 3 else "other")
    facts = {"signal_type": signal_type, "dimensions": axes, "data_type": str(series.dtype), "pages": len(handle.pages)}
    if "S" in names:
        facts["mode"] = "RGB"

    def load() -> Data:  # opens the file again, so the handle above can be closed
        import numpy as np
        import tifffile

        with tifffile.TiffFile(str(path)) as again:
            if stacked:
                return Data(np.stack([s.asarray() for s in again.series]), tuple(axes))
            return Data(again.series[0].asarray(), tuple(axes))

    return facts, axes, load, array_bytes(shape, series.dtype), problem
