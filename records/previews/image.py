"""Preview of an image: robust contrast (percentile clipping), downsampled to about 500 px."""
from pathlib import Path

import numpy as np

from records.previews.canvas import enlarges, grey_image, save


def _plane(array: np.ndarray) -> np.ndarray:
    """The 2-D (or colour) plane to show: the first frame of anything with more dimensions."""
    while array.ndim > 3 or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
        array = array[0]
    return array


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the image data of `extraction`."""
    plane = _plane(np.asarray(extraction.loader().array))
    return save(grey_image(plane, size), out_path, enlarged=enlarges(plane, size))
