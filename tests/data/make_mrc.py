"""Small MRC 2014 files written from scratch (1024-byte header, then the data) and SerialEM .mdoc files."""
from pathlib import Path

import numpy as np

_HEADER = np.dtype([("nx", "<i4"), ("ny", "<i4"), ("nz", "<i4"), ("mode", "<i4"), ("start", "<i4", 3),
                    ("m", "<i4", 3), ("cell", "<f4", 3), ("angles", "<f4", 3), ("map", "<i4", 3),
                    ("amin", "<f4"), ("amax", "<f4"), ("amean", "<f4"), ("ispg", "<i4"), ("next", "<i4"),
                    ("extra", "V100"), ("origin", "<f4", 3), ("cmap", "S4"), ("stamp", "V4"), ("rms", "<f4"),
                    ("nlabl", "<i4"), ("labels", "V800")])
MDOC = """PixelSpacing = 8.5
Voltage = 300
ImageFile = {name}
ImageSize = 40 32
DataMode = 1

[T = SerialEM: Digitized on EMBL Krios                 05-Mar-24  10:01:02    ]

[ZValue = 0]
TiltAngle = -30.02
StagePosition = 12.5 -40.25
StageZ = 3.75
Magnification = 64000
SpotSize = 7
ExposureTime = 1.2
Binning = 2
NumSubFrames = 10
DateTime = 05-Mar-24  10:01:02
"""


def make_mrc(folder: Path, name: str = "volume.mrc", volume: bool = True, mdoc: bool = False) -> Path:
    """A 6 x 32 x 40 int16 volume (space group 1) or image stack (space group 0) of 8.5 Å voxels."""
    depth, height, width = 6, 32, 40
    z, y, x = np.mgrid[:depth, :height, :width]
    data = ((x - width / 2) ** 2 + (y - height / 2) ** 2 + (4 * (z - depth / 2)) ** 2 < 150).astype(np.int16) * 100
    header = np.zeros(1, dtype=_HEADER)
    header["nx"], header["ny"], header["nz"], header["mode"] = width, height, depth, 1
    header["m"] = (width, height, depth)
    header["cell"] = (width * 8.5, height * 8.5, depth * 8.5)
    header["angles"] = (90, 90, 90)
    header["map"] = (1, 2, 3)
    header["ispg"] = 1 if volume else 0
    header["cmap"] = b"MAP "
    header["stamp"] = np.frombuffer(b"\x44\x44\x00\x00", dtype="V4")
    path = Path(folder) / name
    path.write_bytes(header.tobytes() + data.astype("<i2").tobytes())
    if mdoc:
        path.with_name(path.name + ".mdoc").write_text(MDOC.format(name=name))
    return path
