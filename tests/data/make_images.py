"""Small PNG, JPEG, GIF and BMP images and text files in UTF-8 and Windows-1252."""
from pathlib import Path

import numpy as np

SHAPE = (60, 80)
CP1252_TEXT = "Stage X: 9.375 \u00b5m\nTilt: 12.5\u00b0\nOperator: Jos\u00e9 M\u00fcller\n"


def make_image(folder: Path, extension: str = "png", name: str | None = None) -> Path:
    from PIL import Image

    y, x = np.mgrid[: SHAPE[0], : SHAPE[1]]
    rgb = np.dstack([x * 3, y * 4, (x + y) * 2]).astype(np.uint8)
    path = Path(folder) / (name or f"picture.{extension}")
    image = Image.fromarray(rgb, "RGB")
    if extension == "gif":
        image = image.convert("P")
    image.save(path, format={"png": "PNG", "jpg": "JPEG", "gif": "GIF", "bmp": "BMP"}[extension])
    return path


def make_text(folder: Path, encoding: str = "utf-8", name: str | None = None) -> Path:
    path = Path(folder) / (name or f"notes_{encoding}.txt")
    path.write_bytes(("Session notes\n" * 3 + CP1252_TEXT * 4).encode(encoding))
    return path
