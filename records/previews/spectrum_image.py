"""Preview of a spectrum image: the navigator (total intensity per scan position, with a scale bar) beside
the summed spectrum with the lines of the elements the metadata names; both sums run chunk by chunk when
the data is read lazily."""
from pathlib import Path

import numpy as np

from records.previews.canvas import FOREGROUND, as_real, font, grey_image, materialise, save, scale_bar
from records.previews.plot import LINE_COLOUR, draw_spectrum

ASPECT = 0.5  # height / width: two square panels side by side
# A palette image (PNG-encodes many times faster than RGB): 0..253 greys, then the ink and line colours.
GREYS = 254
WHITE, INK, LINE = GREYS - 1, GREYS, GREYS + 1
_PALETTE = [round(i * 255 / (GREYS - 1)) for i in range(GREYS) for _ in range(3)] + [*FOREGROUND, *LINE_COLOUR]
_GREY_TO_INDEX = [round(v * (GREYS - 1) / 255) for v in range(256)]


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG with the navigator image on the left and the summed spectrum on the right."""
    from PIL import Image, ImageDraw

    data = extraction.loader()
    array = data.array
    navigation = as_real(materialise(array.sum(axis=-1, dtype=np.float64)))
    while navigation.ndim > 2:
        navigation = navigation.sum(axis=0)
    if navigation.ndim == 1:
        navigation = navigation[np.newaxis, :]
    spectrum = as_real(materialise(array.reshape((-1, array.shape[-1])).sum(axis=0, dtype=np.float64)))
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
