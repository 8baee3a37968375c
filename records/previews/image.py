"""Preview of an image: robust contrast (percentile clipping), colour kept for colour data, downsampled
to about 500 px, with a scale bar when the image is calibrated."""
from pathlib import Path

import numpy as np

from records.previews.canvas import colour_planes, enlarges, grey_image, materialise, save, scale_bar


def plane(array) -> np.ndarray:
    """The 2-D (or colour) plane to show: the first frame of anything with more dimensions."""
    colour = getattr(getattr(array, "dtype", None), "names", None) is not None
    while array.ndim > (2 if colour else 3) or (not colour and array.ndim == 3 and array.shape[-1] not in (3, 4)):
        array = array[0]
    if colour and array.ndim == 1:  # a line of colours: a strip one pixel high
        array = array[None]
    return colour_planes(materialise(array))


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the image data of `extraction`."""
    data = extraction.loader()
    shown = plane(data.array)
    picture = grey_image(shown, size)
    axis = data.axes[-1] if len(data.axes) >= 2 else None
    return save(scale_bar(picture, axis, shown.shape[1]), out_path, enlarged=enlarges(shown, size))
