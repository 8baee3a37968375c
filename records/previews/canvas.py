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
RESIZE_REDUCING_GAP = 1.25  # shrink by whole factors with a box filter first; bilinear does the last >= 1.25x
BACKGROUND = (255, 255, 255)
FOREGROUND = (30, 30, 30)
# Viridis-like colour stops for depth colouring (dark blue -> teal -> yellow).
_GREY_PALETTE = [level for level in range(256) for _ in range(3)]
_STOPS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=np.float32)


def font(size: int = 12):
    """Pillow's built-in scalable font (no font files needed)."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def as_real(array: np.ndarray) -> np.ndarray:
    """Magnitude of complex data, float32 of anything numeric."""
    if np.iscomplexobj(array):
        array = np.abs(array)
    return np.asarray(array, dtype=np.float32)


def shrink(array: np.ndarray, size: int) -> np.ndarray:
    """Take every n-th pixel so the image is at most about 2x `size` before the final resize."""
    step = max(1, int(max(array.shape[:2]) // (2 * size)))
    return array[::step, ::step] if step > 1 else array


def to_uint8(array: np.ndarray, low: float = LOW_PERCENTILE, high: float = HIGH_PERCENTILE) -> np.ndarray:
    """Robust contrast: clip to the [low, high] percentiles and stretch to 0..255."""
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
        return fit(Image.fromarray(np.ascontiguousarray(array[:, :, :3]), "RGB"), size)
    if array.ndim == 3 and array.shape[2] in (3, 4):
        channels = [to_uint8(array[:, :, i]) for i in range(3)]
        return fit(Image.fromarray(np.dstack(channels), "RGB"), size)
    data = as_real(array)
    if log:
        data = np.log1p(np.maximum(data - np.nanmin(data), 0))
    return fit(Image.fromarray(to_uint8(data), "L"), size)


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
    if image.mode == "L":  # same pixels as a grey palette: PNG skips its row filters and encodes faster
        from PIL import Image

        image = Image.frombytes("P", image.size, image.tobytes())
        image.putpalette(_GREY_PALETTE)
    image.save(out_path, format="PNG", optimize=False, compress_level=PNG_COMPRESSION,
               compress_type=ENLARGED_PNG_STRATEGY if enlarged else PNG_STRATEGY)
    return out_path
