"""Preview of 4-D STEM data: the virtual bright-field image (the direct-beam disc summed at each scan
position) beside the mean diffraction pattern on a log scale. The mean is taken over at most
MEAN_PATTERNS evenly spaced scan positions and the bright field reads only the rows and columns of
the disc, chunk by chunk when the data is read lazily, so the dataset is never in memory at once."""
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, FOREGROUND, as_real, font, grey_image, materialise, save, scale_bar

LABEL_HEIGHT = 18
MEAN_PATTERNS = 256  # at most this many evenly spaced scan positions are averaged for the mean pattern


def bright_field_mask(mean: np.ndarray) -> np.ndarray:
    """The direct-beam disc of a mean pattern: pixels above half of its maximum, connected or not."""
    finite = np.nan_to_num(as_real(mean))
    peak = finite.max(initial=0.0)
    base = np.median(finite)
    if peak <= base:
        return np.ones(finite.shape, dtype=bool)
    return finite >= base + (peak - base) / 2


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG: virtual bright field on the left, mean pattern on the right."""
    from PIL import Image, ImageDraw

    data = extraction.loader()
    array = data.array
    patterns = array.reshape((-1,) + tuple(array.shape[-2:]))
    step = -(-len(patterns) // MEAN_PATTERNS)  # every step-th pattern: a slice reads faster than a list of picks
    mean = materialise(patterns[::step].mean(axis=0, dtype=np.float64))
    mask = bright_field_mask(mean)
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    window = (slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1))
    bright = materialise((array[(Ellipsis, *window)] * mask[window]).sum(axis=(-2, -1), dtype=np.float64))
    while bright.ndim > 2:
        bright = bright.sum(axis=0)
    if bright.ndim == 1:
        bright = bright[np.newaxis, :]
    panel = size // 2
    canvas = Image.new("RGB", (size, panel + LABEL_HEIGHT), BACKGROUND)
    left = grey_image(bright, panel - 8)
    scan_axis = data.axes[array.ndim - 3] if array.ndim >= 3 and len(data.axes) == array.ndim else None
    left = scale_bar(left, scan_axis, bright.shape[1])
    right = grey_image(mean, panel - 8, log=True)
    canvas.paste(left, ((panel - left.width) // 2, LABEL_HEIGHT))
    canvas.paste(right, (panel + (panel - right.width) // 2, LABEL_HEIGHT))
    draw = ImageDraw.Draw(canvas)
    draw.text((panel // 2, 2), "virtual bright field", fill=FOREGROUND, font=font(12), anchor="ma")
    draw.text((panel + panel // 2, 2), "mean pattern (log)", fill=FOREGROUND, font=font(12), anchor="ma")
    return save(canvas, out_path)
