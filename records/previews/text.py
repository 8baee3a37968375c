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
    lines = [line.expandtabs(4)[:MAX_CHARS] for line in text.splitlines()[: (size - 8) // LINE_HEIGHT]]
    draw.multiline_text((6, 4), "\n".join(lines), fill=FOREGROUND[0], font=small, spacing=LINE_HEIGHT - 11)
    return save(canvas, out_path)
