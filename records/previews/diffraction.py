"""Preview of a diffraction pattern: logarithmic intensity so weak reflections show next to the direct beam."""
from pathlib import Path

import numpy as np

from records.previews.canvas import enlarges, grey_image, save


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the pattern on a log scale."""
    array = np.asarray(extraction.loader().array)
    while array.ndim > 2:
        array = array[0]
    return save(grey_image(array, size, log=True), out_path, enlarged=enlarges(array, size))
