"""Small DigitalMicrograph files (DM3 and DM4) written from scratch: one or more images (grey, RGB
or RGBA, 1-D to 3-D) with calibrations and the ImageTags the extractor reads. The tag layout follows
the DM3/DM4 format notes (Chris Boothroyd; RosettaSciIO's DigitalMicrograph docs)."""
import struct
from pathlib import Path

import numpy as np

# DM encoded types
SHORT, LONG, USHORT, ULONG, FLOAT, DOUBLE, BOOL, CHAR, OCTET, ARRAY = 2, 3, 4, 5, 6, 7, 8, 9, 10, 20
# DM image data types
DATA_TYPES = {np.dtype("int16"): 1, np.dtype("float32"): 2, np.dtype("uint8"): 6, np.dtype("int32"): 7,
              np.dtype("uint16"): 10, np.dtype("uint32"): 11, np.dtype("float64"): 12}
RGBA = 23  # 4 bytes a pixel, stored B, G, R, A
_ELEMENTS = {1: SHORT, 2: FLOAT, 6: OCTET, 7: LONG, 10: USHORT, 11: ULONG, 12: DOUBLE, RGBA: ULONG}


class _Writer:
    def __init__(self, version: int):
        self.version = version
        self.length = ">q" if version == 4 else ">l"  # sizes and counts in the tag structure

    def number(self, value: int) -> bytes:
        return struct.pack(self.length, value)

    def data_tag(self, name: str, info: list[int], payload: bytes) -> bytes:
        name = "" if name.startswith("\x00") else name
        body = b"%%%%" + self.number(len(info)) + b"".join(self.number(i) for i in info) + payload
        size = self.number(len(body)) if self.version == 4 else b""
        return b"\x15" + struct.pack(">h", len(name)) + name.encode("latin-1") + size + body

    def value(self, name: str, value) -> bytes:
        if isinstance(value, dict):
            return self.group(name, value)
        if isinstance(value, bool):
            return self.data_tag(name, [BOOL], struct.pack("<?", value))
        if isinstance(value, int):
            return self.data_tag(name, [LONG], struct.pack("<l", value))
        if isinstance(value, float):
            return self.data_tag(name, [DOUBLE], struct.pack("<d", value))
        if isinstance(value, str):  # DM keeps text as an array of 2-byte characters
            return self.data_tag(name, [ARRAY, USHORT, len(value)], value.encode("utf-16-le"))
        if isinstance(value, tuple):  # an array of raw image bytes: (element type, count, bytes)
            element, count, raw = value
            return self.data_tag(name, [ARRAY, element, count], raw)
        raise TypeError(f"no DM encoding for {type(value).__name__}")

    def group(self, name: str, entries: dict) -> bytes:
        name = "" if name.startswith("\x00") else name
        body = b"\x00\x01" + self.number(len(entries)) + b"".join(self.value(k, v) for k, v in entries.items())
        size = self.number(len(body)) if self.version == 4 else b""
        return b"\x14" + struct.pack(">h", len(name)) + name.encode("latin-1") + size + body


def _raw(array: np.ndarray, colour: bool) -> tuple:
    if colour:  # (..., 3 or 4) uint8 as B, G, R, A bytes per pixel
        rgba = np.zeros(array.shape[:-1] + (4,), dtype=np.uint8)
        rgba[..., 2], rgba[..., 1], rgba[..., 0] = array[..., 0], array[..., 1], array[..., 2]
        rgba[..., 3] = array[..., 3] if array.shape[-1] == 4 else 255
        return RGBA, (ULONG, int(np.prod(array.shape[:-1])), rgba.tobytes())
    kind = DATA_TYPES[array.dtype]
    little = array.astype(array.dtype.newbyteorder("<"))
    return kind, (_ELEMENTS[kind], array.size, little.tobytes())


def image_group(array: np.ndarray, tags: dict, name: str = "image", colour: bool = False,
                scales: tuple = (), units: tuple = ()) -> dict:
    """The ImageList entry of one image; `array` is in C order (frames, y, x), `colour` arrays end in 3 or 4
    channels; `scales`/`units` are per axis in C order."""
    kind, data = _raw(array, colour)
    shape = array.shape[:-1] if colour else array.shape
    dims = list(reversed(shape))  # DM lists x first
    scales = list(reversed(scales or (1.0,) * len(shape)))
    units = list(reversed(units or ("",) * len(shape)))
    # DM's unnamed tags and groups: a dict cannot repeat "", so "\x00n" keys stand for them
    dimension = {f"\x00{i}": {"Origin": 0.0, "Scale": float(s), "Units": u} for i, (s, u) in enumerate(zip(scales, units))}
    return {
        "ImageData": {
            "Calibrations": {"Brightness": {"Origin": 0.0, "Scale": 1.0, "Units": ""}, "Dimension": dimension},
            "Data": data,
            "DataType": kind,
            "Dimensions": {f"\x00{i}": int(n) for i, n in enumerate(dims)},
            "PixelDepth": 4 if colour else int(array.dtype.itemsize),
        },
        "ImageTags": tags,
        "Name": name,
    }


def write_dm(path: Path, images: list[dict], version: int = 3) -> Path:
    """A DM3 or DM4 file holding `images` (from `image_group`) in its ImageList."""
    writer = _Writer(version)
    root = {"ImageList": {f"\x00{i}": image for i, image in enumerate(images)}}
    body = b"\x00\x01" + writer.number(len(root)) + b"".join(writer.value(k, v) for k, v in root.items())
    body += b"\x00" * 8
    size = struct.pack(">q" if version == 4 else ">l", len(body))
    path = Path(path)
    path.write_bytes(struct.pack(">l", version) + size + struct.pack(">l", 1) + body)
    return path


MICROSCOPE = {"Microscope Info": {"Voltage": 200000.0, "Indicated Magnification": 50000.0,
                                  "Illumination Mode": "TEM", "Imaging Mode": "IMAGING",
                                  "Name": "Test TEM"},
              "DataBar": {"Acquisition Date": "3/5/2024", "Acquisition Time": "11:42:00 AM"}}


def make_rgb_dm(folder: Path, version: int = 3, ndim: int = 2, alpha: bool = True) -> Path:
    """An RGB(A) image (DM data type 23) of 1, 2 or 3 dimensions: red left half, blue right half."""
    shape = {1: (40,), 2: (30, 40), 3: (3, 30, 40)}[ndim]
    pixels = np.zeros(shape + (4 if alpha else 3,), dtype=np.uint8)
    pixels[..., : shape[-1] // 2, 0] = 200
    pixels[..., shape[-1] // 2:, 2] = 180
    if alpha:
        pixels[..., 3] = 255
    image = image_group(pixels, MICROSCOPE, "colour", colour=True)
    return write_dm(Path(folder) / f"rgb{ndim}d.dm{version}", [image], version)


def make_two_image_dm(folder: Path, version: int = 3) -> Path:
    """One file, two calibrated images: a HAADF (64 x 48, 0.5 nm) and a BF (32 x 24, 1 nm)."""
    haadf = (np.arange(64 * 48, dtype=np.float32).reshape(48, 64) % 97)
    bright = (np.arange(32 * 24, dtype=np.uint16).reshape(24, 32) % 13)
    first = image_group(haadf, MICROSCOPE, "HAADF", scales=(0.5, 0.5), units=("nm", "nm"))
    second = image_group(bright, MICROSCOPE, "BF", scales=(1.0, 1.0), units=("nm", "nm"))
    return write_dm(Path(folder) / f"two.dm{version}", [first, second], version)


def make_stack_dm(folder: Path, version: int = 3) -> Path:
    """A StackBuilder-like image stack: 5 frames of 32 x 40, 2 nm pixels, 200 kV in Microscope Info."""
    frames = np.stack([np.full((32, 40), i * 10, dtype=np.int16) for i in range(5)])
    frames[:, 5:10, 5:10] += 100
    tags = {**MICROSCOPE, "StackBuilder": {"Number of slices": 5}}
    image = image_group(frames, tags, "stack", scales=(1.0, 2.0, 2.0), units=("", "nm", "nm"))
    return write_dm(Path(folder) / f"stack.dm{version}", [image], version)
