"""Preview of a volume (an MRC tomogram or any stack whose third axis is a calibrated depth z): the
three central slices (XY, XZ, YZ) side by side with shared contrast and a scale bar; only the three
slices are read from lazily loaded data."""
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, FOREGROUND, as_real, fit, font, materialise, save, scale_bar, to_uint8

LABEL_HEIGHT = 18
GAP = 6


def is_volume(axes) -> bool:
    """Whether the first of three axes is a calibrated depth named z (not frames or time)."""
    from records.extractors.axes import LENGTH_UNITS

    return len(axes) == 3 and axes[0].get("name") == "z" and axes[0].get("unit") in LENGTH_UNITS


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the central XY, XZ and YZ slices of a 3-D array."""
    from PIL import Image, ImageDraw

    data = extraction.loader()
    array = data.array
    depth, height, width = array.shape[-3:]
    slices = [materialise(array[depth // 2]), materialise(array[:, height // 2, :]), materialise(array[:, :, width // 2])]
    contrast = to_uint8(np.concatenate([as_real(s).ravel() for s in slices]))
    pictures, start = [], 0
    for piece in slices:
        pictures.append(Image.fromarray(contrast[start:start + piece.size].reshape(piece.shape), "L"))
        start += piece.size
    cell = (size - 2 * GAP) // 3
    canvas = Image.new("RGB", (size, cell + LABEL_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    x_axis = data.axes[-1] if len(data.axes) == 3 else None
    for n, (picture, label) in enumerate(zip(pictures, ("XY (centre)", "XZ", "YZ"))):
        tile = fit(picture, cell)
        if n == 0:
            tile = scale_bar(tile, x_axis, width)
        canvas.paste(tile, (n * (cell + GAP), LABEL_HEIGHT))
        draw.text((n * (cell + GAP) + cell // 2, 2), label, fill=FOREGROUND, font=font(12), anchor="ma")
    return save(canvas, out_path)
