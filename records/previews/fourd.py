"""Preview of 4-D STEM data: the mean diffraction pattern over all scan positions, on a log scale."""
from pathlib import Path

import numpy as np

from records.previews.canvas import as_real, enlarges, grey_image, save


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the mean of the last two axes over all others."""
    array = np.asarray(extraction.loader().array)
    mean = as_real(array.reshape((-1,) + array.shape[-2:])).mean(axis=0)
    return save(grey_image(mean, size, log=True), out_path, enlarged=enlarges(mean, size))
