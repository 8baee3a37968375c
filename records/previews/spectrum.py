"""Preview of a spectrum: a line plot against the calibrated energy (or other) axis with its unit, the
lines of the elements the metadata names marked."""
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, FOREGROUND, materialise, save
from records.previews.plot import LINE_COLOUR, MARK_COLOUR, draw_spectrum

ASPECT = 0.75  # height / width; a 4-colour palette image encodes to PNG many times faster than RGB


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG plot of a 1-D signal (the sum over any navigation axes)."""
    from PIL import Image, ImageDraw

    data = extraction.loader()
    array = data.array
    y = materialise(array.reshape((-1, array.shape[-1])).sum(axis=0) if array.ndim > 1 else array)
    axis = data.axes[-1] if data.axes else {}
    canvas = Image.new("P", (size, round(size * ASPECT)), 0)
    canvas.putpalette([*BACKGROUND, *FOREGROUND, *LINE_COLOUR, *MARK_COLOUR])
    draw_spectrum(ImageDraw.Draw(canvas), (0, 0, size, round(size * ASPECT)), np.asarray(y), axis, ink=1, line=2,
                  metadata=extraction.metadata, mark=3)
    return save(canvas, out_path)
