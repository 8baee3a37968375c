"""Preview of a text file: its first lines in a monospaced block on white."""
from pathlib import Path

from records.previews.canvas import BACKGROUND, FOREGROUND, save

LINE_HEIGHT = 14
MAX_CHARS = 80  # Pillow's bitmap font is 6 px wide: 80 characters fill a 500 px preview
FONT_CHARSET = "latin-1"  # all the bitmap font can draw; other characters are shown as "?"


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG showing as many of the first lines as fit."""
    from PIL import Image, ImageDraw, ImageFont

    text = str(extraction.loader().array)
    # the bitmap font draws a page of text about 50x faster than the scalable one, and is monospaced
    bitmap = ImageFont.load_default_imagefont()
    canvas = Image.new("L", (size, size), BACKGROUND[0])
    draw = ImageDraw.Draw(canvas)
    lines = [line.expandtabs(4)[:MAX_CHARS] for line in text.splitlines()[: (size - 8) // LINE_HEIGHT]]
    shown = "\n".join(lines).encode(FONT_CHARSET, "replace").decode(FONT_CHARSET)
    draw.multiline_text((6, 4), shown, fill=FOREGROUND[0], font=bitmap, spacing=LINE_HEIGHT - 11)
    return save(canvas, out_path)
