"""A small FEI TIA .ser image (one 32 x 24 int32 frame, 2 nm pixels), laid out as FEI's SER description says:
header, dimension array, offset arrays, then the data element followed by its time tag."""
import struct
from pathlib import Path

import numpy as np

SHAPE = (24, 32)  # rows, columns
PIXEL_METRES = 2e-9
_IMAGE_SERIES, _TIME_TAG, _INT32 = 16674, 16722, 6


def make_ser(folder: Path, name: str = "frame_1.ser") -> Path:
    description = b"Number"
    dimension = struct.pack("<Iddi", 1, 0.0, 1.0, 0) + struct.pack("<I", len(description)) + description
    dimension += struct.pack("<I", 0)
    offsets_at = 30 + len(dimension)
    data_at = offsets_at + 8
    header = struct.pack("<HHHIIIIII", 0x4949, 0x0197, 528, _IMAGE_SERIES, _TIME_TAG, 1, 1, offsets_at, 1)
    rows, columns = SHAPE
    column, row = np.mgrid[:columns, :rows]  # TIA stores the array x-major
    frame = (row * 10 + column * 3).astype("<i4")
    element = struct.pack("<ddiddiHII", 0.0, PIXEL_METRES, 0, 0.0, PIXEL_METRES, 0, _INT32, columns, rows)
    element += frame.tobytes()
    tag_at = data_at + len(element)
    tag = struct.pack("<HHI", _TIME_TAG, 0, 1700000000)
    path = Path(folder) / name
    path.write_bytes(header + dimension + struct.pack("<II", data_at, tag_at) + element + tag)
    return path
