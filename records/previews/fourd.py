"""Preview of 4-D STEM data: the virtual bright-field image (the direct-beam disc summed at each scan
position) beside the mean diffraction pattern on a log scale; both are reduced chunk by chunk when the
data is read lazily, so the whole dataset is never in memory at once."""
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, FOREGROUND, as_real, font, grey_image, materialise, save, scale_bar

LABEL_HEIGHT = 18


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
    scan_axes = tuple(range(array.ndim - 2))
    mean = materialise(array.mean(axis=scan_axes, dtype=np.float64)) if scan_axes else materialise(array)
    mask = bright_field_mask(mean)
    bright = materialise((array * mask).sum(axis=(-2, -1), dtype=np.float64))
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
