"""Preview of a spectrum image: the navigator (total intensity per scan position) beside the summed spectrum."""
from pathlib import Path

import numpy as np

from records.previews.canvas import FOREGROUND, as_real, font, grey_image, save
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
    array = as_real(np.asarray(data.array))
    navigation = array.sum(axis=-1)
    while navigation.ndim > 2:
        navigation = navigation.sum(axis=0)
    if navigation.ndim == 1:
        navigation = navigation[np.newaxis, :]
    spectrum = array.reshape((-1, array.shape[-1])).sum(axis=0)
    panel = size // 2
    canvas = Image.new("P", (size, round(size * ASPECT)), WHITE)
    canvas.putpalette(_PALETTE)
    navigator = grey_image(navigation, panel - 20).point(_GREY_TO_INDEX)  # grey levels as palette indices
    navigator = Image.frombytes("P", navigator.size, navigator.tobytes())
    canvas.paste(navigator, ((panel - navigator.width) // 2, 18 + (panel - 20 - navigator.height) // 2))
    draw = ImageDraw.Draw(canvas)
    draw.text((panel // 2, 2), "navigator", fill=INK, font=font(12), anchor="ma")
    draw_spectrum(draw, (panel, 0, size, canvas.height), spectrum, data.axes[-1] if data.axes else {}, "sum",
                  ink=INK, line=LINE)
    return save(canvas, out_path)
