"""Preview of a spectrum image: the navigator (total intensity per scan position, with a scale bar) beside
the summed spectrum with the lines of the elements the metadata names; both sums run chunk by chunk when
the data is read lazily."""
from pathlib import Path

import numpy as np

from records.previews.canvas import FOREGROUND, as_real, font, grey_image, save, scale_bar
from records.previews.plot import LINE_COLOUR, draw_spectrum

ASPECT = 0.5  # height / width: two square panels side by side
# A palette image (PNG-encodes many times faster than RGB): 0..253 greys, then the ink and line colours.
GREYS = 254
WHITE, INK, LINE = GREYS - 1, GREYS, GREYS + 1
_PALETTE = [round(i * 255 / (GREYS - 1)) for i in range(GREYS) for _ in range(3)] + [*FOREGROUND, *LINE_COLOUR]
_GREY_TO_INDEX = [round(v * (GREYS - 1) / 255) for v in range(256)]


def sums(array) -> tuple[np.ndarray, np.ndarray]:
    """(total of each spectrum, summed spectrum); a lazy array's chunks are read once for both. Floats add
    up in their own precision (integers in 64 bits): converting every value to float64 first would double
    the time, for no difference a picture can show."""
    dtype = np.float32 if array.dtype.kind == "f" and array.dtype.itemsize < 4 else None
    per_position = array.sum(axis=-1, dtype=dtype)
    summed = array.sum(axis=tuple(range(array.ndim - 1)), dtype=dtype)
    if hasattr(array, "compute"):
        import dask

        return dask.compute(per_position, summed)
    return per_position, summed


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG with the navigator image on the left and the summed spectrum on the right."""
    from PIL import Image, ImageDraw

    data = extraction.loader()
    array = data.array
    navigation, spectrum = (as_real(total) for total in sums(array))
    while navigation.ndim > 2:
        navigation = navigation.sum(axis=0)
    if navigation.ndim == 1:
        navigation = navigation[np.newaxis, :]
    panel = size // 2
    canvas = Image.new("P", (size, round(size * ASPECT)), WHITE)
    canvas.putpalette(_PALETTE)
    scan_axis = data.axes[-2] if len(data.axes) >= 3 else None
    navigator = scale_bar(grey_image(navigation, panel - 20), scan_axis, navigation.shape[1])
    navigator = navigator.point(_GREY_TO_INDEX)  # grey levels as palette indices
    navigator = Image.frombytes("P", navigator.size, navigator.tobytes())
    canvas.paste(navigator, ((panel - navigator.width) // 2, 18 + (panel - 20 - navigator.height) // 2))
    draw = ImageDraw.Draw(canvas)
    draw.text((panel // 2, 2), "navigator", fill=INK, font=font(12), anchor="ma")
    draw_spectrum(draw, (panel, 0, size, canvas.height), spectrum, data.axes[-1] if data.axes else {}, "sum",
                  ink=INK, line=LINE, metadata=extraction.metadata, mark=INK)
    return save(canvas, out_path)
