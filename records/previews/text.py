"""Preview of a text file: its first lines in a monospaced-looking block on white."""
from pathlib import Path

from records.previews.canvas import BACKGROUND, FOREGROUND, font, save

LINE_HEIGHT = 14
MAX_CHARS = 80


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG showing as many of the first lines as fit."""
    from PIL import Image, ImageDraw

    text = str(extraction.loader().array)
    canvas = Image.new("L", (size, size), BACKGROUND[0])
    draw = ImageDraw.Draw(canvas)
    small = font(11)
    for row, line in enumerate(text.splitlines()[: (size - 8) // LINE_HEIGHT]):
        draw.text((6, 4 + row * LINE_HEIGHT), line.expandtabs(4)[:MAX_CHARS], fill=FOREGROUND[0], font=small)
    return save(canvas, out_path)
