"""Drawing helpers shared by the previews: robust contrast, downsampling, colour maps and PNG output."""
import zlib
from pathlib import Path

import numpy as np

LOW_PERCENTILE = 0.5
HIGH_PERCENTILE = 99.5
PNG_COMPRESSION = 1  # fast zlib level: previews are small, encoding time matters more than bytes
PNG_STRATEGY = zlib.Z_RLE  # half the time of zlib's default on noisy micrographs, files no larger
# Enlarged pictures repeat each row: zlib's default strategy finds those repeats, run-length encoding cannot.
ENLARGED_PNG_STRATEGY = zlib.Z_DEFAULT_STRATEGY
PERCENTILE_SAMPLES = 65536  # contrast limits come from an evenly strided sample of at most this many pixels
RESIZE_REDUCING_GAP = 1.0  # shrink by whole factors with a box filter first (fast); bilinear does the rest (< 2x)
BACKGROUND = (255, 255, 255)
FOREGROUND = (30, 30, 30)
# Viridis-like colour stops for depth colouring (dark blue -> teal -> yellow).
_GREY_PALETTE = [level for level in range(256) for _ in range(3)]
_STOPS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=np.float32)


def font(size: int = 12):
    """Pillow's built-in scalable font (no font files needed)."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


SCALE_BAR_FRACTION = 0.2  # the bar spans about this share of the picture's width
_NICE = (1, 2, 5)


def materialise(array) -> np.ndarray:
    """A numpy array of `array`, computing it when it is a lazy (dask) array: reduce or index first."""
    if hasattr(array, "compute"):
        # One chunk has nothing to run in parallel: handing it to dask's thread pool only adds time.
        single = getattr(array, "npartitions", 0) == 1
        array = array.compute(scheduler="synchronous") if single else array.compute()
    return np.asarray(array)


def colour_planes(array):
    """Structured colour pixels (DigitalMicrograph RGB/RGBA: fields R, G, B[, A]) as a trailing channel
    axis of uint8; any other array as it is."""
    names = getattr(getattr(array, "dtype", None), "names", None)
    if not names or not {"R", "G", "B"} <= set(names):
        return array
    return np.stack([np.asarray(array[name]).astype(np.uint8) for name in ("R", "G", "B")], axis=-1)


def as_real(array: np.ndarray) -> np.ndarray:
    """Magnitude of complex data, float32 of anything numeric."""
    if np.iscomplexobj(array):
        array = np.abs(array)
    return np.asarray(array, dtype=np.float32)


def shrink(array: np.ndarray, size: int) -> np.ndarray:
    """Take every n-th pixel so the image is at most 2x `size` before the final resize (which averages)."""
    step = max(1, -(-int(max(array.shape[:2])) // (2 * size)))
    return array[::step, ::step] if step > 1 else array


def to_uint8(array: np.ndarray, low: float = LOW_PERCENTILE, high: float = HIGH_PERCENTILE) -> np.ndarray:
    """Robust contrast: clip to the [low, high] percentiles and stretch to 0..255."""
    if getattr(array, "dtype", None) is not None and array.dtype.kind == "u" and array.dtype.itemsize <= 2:
        return _levels_to_uint8(array, low, high)
    array = as_real(array)
    finite = np.isfinite(array)
    if not finite.all():
        fill = float(np.nanmin(np.where(finite, array, np.nan))) if finite.any() else 0.0
        array = np.where(finite, array, fill)
    sample = array.ravel()[:: max(1, array.size // PERCENTILE_SAMPLES)]
    lo, hi = np.percentile(sample, (low, high)) if array.size else (0.0, 0.0)
    if hi <= lo:
        lo, hi = float(array.min(initial=0.0)), float(array.max(initial=0.0))
    if hi <= lo:
        return np.zeros(array.shape, dtype=np.uint8)
    scaled = (np.clip(array, lo, hi) - lo) * (255.0 / (hi - lo))
    return scaled.astype(np.uint8)


def _levels_to_uint8(array: np.ndarray, low: float, high: float) -> np.ndarray:
    """`to_uint8` of 8- or 16-bit unsigned data through a table of its 256 or 65536 levels: the same
    result without a float copy of the image."""
    sample = array.flat[:: max(1, array.size // PERCENTILE_SAMPLES)]
    lo, hi = np.percentile(sample, (low, high)) if array.size else (0.0, 0.0)
    if hi <= lo:
        lo, hi = float(array.min(initial=0)), float(array.max(initial=0))
    if hi <= lo:
        return np.zeros(array.shape, dtype=np.uint8)
    levels = np.arange(np.iinfo(array.dtype).max + 1, dtype=np.float32)
    table = ((np.clip(levels, lo, hi) - lo) * (255.0 / (hi - lo))).astype(np.uint8)
    return np.take(table, array)


def fit(image, size: int):
    """The image resized to fit a `size` x `size` box, keeping its aspect ratio."""
    from PIL import Image

    width, height = image.size
    scale = size / max(width, height)
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    if target == image.size:
        return image
    method = Image.Resampling.BILINEAR if scale < 1 else Image.Resampling.NEAREST
    return image.resize(target, method, reducing_gap=RESIZE_REDUCING_GAP if scale < 1 else None)


def enlarges(array: np.ndarray, size: int) -> bool:
    """Whether fitting `array` into a `size` box enlarges it (by repeating pixels)."""
    return max(array.shape[:2]) < size


def grey_image(array: np.ndarray, size: int, log: bool = False):
    """A fitted greyscale (or RGB) PIL image of a 2-D array (or H x W x 3/4 colour array)."""
    from PIL import Image

    array = shrink(array, size)
    if array.ndim == 3 and array.shape[2] in (3, 4) and array.dtype == np.uint8:
        if array.flags.c_contiguous:  # Pillow drops an alpha channel many times faster than a numpy copy
            return fit(Image.fromarray(array, "RGBA" if array.shape[2] == 4 else "RGB").convert("RGB"), size)
        return fit(Image.fromarray(np.ascontiguousarray(array[:, :, :3]), "RGB"), size)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        channels = [to_uint8(array[:, :, i]) for i in range(3)]
        return fit(Image.fromarray(np.dstack(channels), "RGB"), size)
    data = as_real(array)
    if log:
        data = np.log1p(np.maximum(data - np.nanmin(data), 0))
    return fit(Image.fromarray(to_uint8(data), "L"), size)


def _nice_length(length: float) -> float:
    """The largest 1, 2 or 5 x 10^n not above `length`."""
    import math

    power = 10 ** math.floor(math.log10(length))
    return max(m * power for m in _NICE if m * power <= length)


def _length_label(value: float, unit: str) -> str:
    """"0.5 nm" for 0.0005 um: the length in the unit that keeps its number readable (the built-in font
    has no µ, so micrometres stay "um")."""
    from records.units import UnitError, quantity

    try:
        shown = quantity(value, unit)
    except (UnitError, ValueError, ArithmeticError):
        return f"{value:g} {unit}"
    return f"{shown['value']:g} {shown['unit']}"


def scale_bar(image, axis: dict | None, source_pixels: int):
    """`image` with a scale bar in its lower left corner when `axis` (the horizontal one, with `scale` per
    pixel of the `source_pixels`-wide data) is calibrated; otherwise `image` unchanged."""
    from PIL import ImageDraw

    if not axis or not axis.get("unit") or not axis.get("scale") or source_pixels <= 0:
        return image
    per_pixel = abs(float(axis["scale"])) * source_pixels / image.width  # data units per shown pixel
    length = _nice_length(per_pixel * image.width * SCALE_BAR_FRACTION)
    bar = max(1, round(length / per_pixel))
    image = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    draw = ImageDraw.Draw(image)
    white, black = (255, 255, 255) if image.mode == "RGB" else 255, (0, 0, 0) if image.mode == "RGB" else 0
    left, bottom = 10, image.height - 10
    label = _length_label(length, str(axis["unit"]))
    text = font(12)
    box = draw.textbbox((left, bottom - 10), label, font=text, anchor="lb")
    draw.rectangle((left - 4, box[1] - 4, max(left + bar, box[2]) + 4, bottom + 4), fill=black)
    draw.rectangle((left, bottom - 4, left + bar, bottom), fill=white)
    draw.text((left, bottom - 8), label, fill=white, font=text, anchor="lb")
    return image


def colours(values: np.ndarray) -> np.ndarray:
    """RGB uint8 colours for values in 0..1 along the depth colour map."""
    positions = np.clip(values, 0, 1) * (len(_STOPS) - 1)
    index = np.minimum(positions.astype(int), len(_STOPS) - 2)
    fraction = (positions - index)[:, None]
    return (_STOPS[index] * (1 - fraction) + _STOPS[index + 1] * fraction).astype(np.uint8)


def save(image, out_path, enlarged: bool = False) -> Path:
    """Write a PNG deterministically (no timestamps or text chunks) and return its path; `enlarged` says
    the picture was enlarged by repeating pixels, which picks the faster compression for it."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # A new file, not the old one truncated in place: ext4 flushes a file truncated and rewritten on
    # close (its replace-via-truncate safeguard), which costs milliseconds per preview.
    out_path.unlink(missing_ok=True)
    if image.mode == "L":  # same pixels as a grey palette: PNG skips its row filters and encodes faster
        from PIL import Image

        image = Image.frombytes("P", image.size, image.tobytes())
        image.putpalette(_GREY_PALETTE)
    image.save(out_path, format="PNG", optimize=False, compress_level=PNG_COMPRESSION,
               compress_type=ENLARGED_PNG_STRATEGY if enlarged else PNG_STRATEGY)
    return out_path
