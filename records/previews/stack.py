"""Preview of an image stack: a montage of up to nine evenly spaced frames with shared contrast."""
import math
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, as_real, fit, save, shrink, to_uint8

MAX_FRAMES = 9
GAP = 4


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG montage of the frames of a 3-D (or more) array."""
    from PIL import Image

    array = np.asarray(extraction.loader().array)
    frames = array.reshape((-1,) + array.shape[-2:])
    picks = np.unique(np.linspace(0, len(frames) - 1, min(MAX_FRAMES, len(frames))).round().astype(int))
    columns = math.ceil(math.sqrt(len(picks)))
    rows = math.ceil(len(picks) / columns)
    cell = max(8, (size - GAP * (columns - 1)) // columns)
    chosen = np.stack([as_real(shrink(frames[i], cell)) for i in picks])
    scaled = to_uint8(chosen)
    canvas = Image.new("L", (columns * cell + GAP * (columns - 1), rows * cell + GAP * (rows - 1)), BACKGROUND[0])
    for n, frame in enumerate(scaled):
        tile = fit(Image.fromarray(frame, "L"), cell)
        canvas.paste(tile, ((n % columns) * (cell + GAP), (n // columns) * (cell + GAP)))
    return save(canvas, out_path)
