"""Preview of an image stack: a montage of up to nine evenly spaced frames with shared contrast (colour
frames in colour); only the chosen frames are read from lazily loaded data."""
import math
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, as_real, colour_planes, fit, materialise, save, shrink, to_uint8

MAX_FRAMES = 9
GAP = 4


def _frames(array) -> tuple[list, bool]:
    """The chosen frames as numpy arrays, and whether they are colour (H x W x 3)."""
    colour = getattr(array.dtype, "names", None) is not None or (array.ndim >= 4 and array.shape[-1] in (3, 4)
                                                                  and array.dtype == np.uint8)
    signal = 3 if colour and getattr(array.dtype, "names", None) is None else 2
    frames = array.reshape((-1,) + tuple(array.shape[-signal:]))
    picks = np.unique(np.linspace(0, len(frames) - 1, min(MAX_FRAMES, len(frames))).round().astype(int))
    return [colour_planes(materialise(frames[int(i)])) for i in picks], colour


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG montage of the frames of a 3-D (or more) array."""
    from PIL import Image

    frames, colour = _frames(extraction.loader().array)
    columns = math.ceil(math.sqrt(len(frames)))
    rows = math.ceil(len(frames) / columns)
    cell = max(8, (size - GAP * (columns - 1)) // columns)
    small = [shrink(frame, cell) for frame in frames]
    mode = "RGB" if colour else "L"
    tiles = [Image.fromarray(np.ascontiguousarray(f[..., :3]).astype(np.uint8), "RGB") for f in small] if colour \
        else [Image.fromarray(f, "L") for f in to_uint8(np.stack([as_real(f) for f in small]))]
    canvas = Image.new(mode, (columns * cell + GAP * (columns - 1), rows * cell + GAP * (rows - 1)),
                       BACKGROUND if colour else BACKGROUND[0])
    for n, tile in enumerate(tiles):
        canvas.paste(fit(tile, cell), ((n % columns) * (cell + GAP), (n // columns) * (cell + GAP)))
    return save(canvas, out_path)
