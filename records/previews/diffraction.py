"""Preview of a diffraction pattern: logarithmic intensity so weak reflections show next to the direct
beam, with a scale bar in reciprocal units when the pattern is calibrated."""
from pathlib import Path

from records.previews.canvas import enlarges, grey_image, materialise, save, scale_bar


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the pattern on a log scale."""
    data = extraction.loader()
    array = data.array
    while array.ndim > 2:
        array = array[0]
    array = materialise(array)
    axis = data.axes[-1] if len(data.axes) >= 2 else None
    picture = scale_bar(grey_image(array, size, log=True), axis, array.shape[1])
    return save(picture, out_path, enlarged=enlarges(array, size))
