"""Plain raster images (PNG, JPEG, GIF, BMP): size, mode, EXIF date and camera, read with
Pillow. Formats described by their own specifications (PNG: W3C; JPEG/EXIF: CIPA DC-008; GIF89a; BMP).
"""
from records.errors import UnreadableFile
from records.extractors.base import Data, Extraction, apply_mapping, array_bytes, iso_time, jsonable

NAME = "image"
EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
_EXIF_DATE = ("%Y:%m:%d %H:%M:%S",)
LOADED_PIXELS = 1000
DRAFT_PIXELS = 500  # a JPEG is decoded at the smallest scale (1/2 to 1/8) still this large: a default preview
_EXIF_TAGS = {271: "Make", 272: "Model", 306: "DateTime", 305: "Software"}

MAPPING = (
    ("exif.Make", "vendor", None, None),
    ("exif.Model", "model", None, None),
    ("mode", "mode", None, None),
)


def _axes(height: int, width: int) -> tuple:
    return ({"name": "y", "size": height, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": False},
            {"name": "x", "size": width, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": False})


def _load(path) -> Data:
    """The pixels, thinned to at most about LOADED_PIXELS a side: plain pictures carry no calibration,
    so only the preview uses them, and its own resampling smooths what is left. Thinning comes before
    any colour conversion so that is done on few pixels, and a JPEG is decoded at reduced scale."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:
        scale = min(1.0, DRAFT_PIXELS / max(image.size))
        image.draft("RGB" if image.mode == "RGB" else None, (round(image.width * scale), round(image.height * scale)))
        step = max(1, max(image.size) // LOADED_PIXELS)
        if step > 1:
            image = image.resize((image.width // step, image.height // step), Image.Resampling.NEAREST)
        if image.mode not in ("L", "RGB", "I;16", "I", "F"):
            image = image.convert("RGB")  # palette, alpha and other modes: the preview shows the colours
        array = np.asarray(image)
    return Data(array, _axes(*array.shape[:2]))


def extract(path) -> Extraction:
    """Read the header of an image and check that its pixels decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height, mode = image.width, image.height, image.mode
            kind = image.format
            # PNG keeps EXIF after the pixels: asking for it there would decode the whole image
            tags = image.getexif() if kind != "PNG" or "exif" in image.info else {}
            exif = {name: tags.get(code) for code, name in _EXIF_TAGS.items()}
            info = {k: v for k, v in image.info.items() if isinstance(v, (str, int, float, tuple))}
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFile(f"not a readable image: {exc}") from exc
    tree = {"format": kind, "mode": mode, "width": width, "height": height, "exif": {k: v for k, v in exif.items() if v}, "info": info}
    metadata, warnings = apply_mapping(tree, MAPPING)
    bands = len(mode) if mode not in ("P", "I;16", "I", "F") else 1
    metadata.update({
        "signal_type": "image",
        "data_type": {"I;16": "uint16", "I": "int32", "F": "float32"}.get(mode, "uint8"),
        "dimensions": [
            {"name": "y", "size": height, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": False},
            {"name": "x", "size": width, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": False},
        ],
    })
    if exif.get("DateTime"):
        acquired = iso_time(str(exif["DateTime"]), "", _EXIF_DATE)
        if acquired:
            metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format=kind or "image", extractor=NAME, metadata=metadata,
        original_metadata=jsonable(tree), warnings=tuple(warnings),
        loader=lambda: _load(path), data_bytes=array_bytes((height, width, bands), "uint8"),
    )
