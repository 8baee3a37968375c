"""Preview for a file without one (unreadable, damaged): its name and "no preview" on grey."""
import os
import textwrap
from pathlib import Path

from records.previews.canvas import FOREGROUND, font, save

GREY = (225, 225, 225)
WRAP = 48


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG naming the file and saying why there is no preview."""
    from PIL import Image, ImageDraw

    canvas = Image.new("P", (size, size), 0)
    canvas.putpalette([*GREY, *FOREGROUND])
    draw = ImageDraw.Draw(canvas)
    draw.text((size // 2, size // 3), os.path.basename(extraction.path), fill=1, font=font(16), anchor="mm")
    draw.text((size // 2, size // 2), "no preview", fill=1, font=font(22), anchor="mm")
    for row, line in enumerate(textwrap.wrap(extraction.error or "", WRAP)[:6]):
        draw.text((size // 2, size // 2 + 40 + row * 16), line, fill=1, font=font(12), anchor="mm")
    return save(canvas, out_path)
