"""Small TIFF files: FEI-style (FEI_HELIOS tag), Zeiss-style (CZ_SEM tag), ImageJ, multi-page and plain."""
from pathlib import Path

import numpy as np

FEI_HELIOS_TAG = 34682
CZ_SEM_TAG = 34118
SHAPE = (48, 64)

FEI_TEXT = """[User]
Date=03/14/2024
Time=02:15:09 PM
User=operator1

[System]
Type=DualBeam
SystemType=Helios 5 CX

[Beam]
HV=15000
Spot=3.5

[EBeam]
HV=15000
BeamCurrent=1.6e-10
WD=0.0041
StageX=0.0012
StageY=-0.0005
StageZ=0.004
StageTa=0.0
StageTb=0

[Scan]
Dwelltime=3e-06
PixelWidth=2.5e-09
PixelHeight=2.5e-09

[Stage]
StageX=0.0012
StageY=-0.0005
StageZ=0.004
StageT=0.6108652
WorkingDistance=0.0041

[Detectors]
Number=1
Name=TLD
"""

ZEISS_TEXT = """0
1
AP_ACTUALKV
EHT = 3.00 kV
AP_WD
WD = 4.2 mm
AP_MAG
Mag = 25.00 K X
AP_PIXEL_SIZE
Pixel Size = 12.5 nm
AP_STAGE_AT_X
Stage at X = 10.5 mm
AP_DATE
Date :01 Feb 2023
AP_TIME
Time :09:30:05
DP_DETECTOR_CHANNEL
Signal A = SE2
"""


def _pattern(shape=SHAPE, dtype=np.uint16) -> np.ndarray:
    """A deterministic gradient with a bright square, so previews have contrast."""
    y, x = np.mgrid[: shape[0], : shape[1]]
    image = (x * 7 + y * 3).astype(np.float64)
    image[shape[0] // 4: shape[0] // 2, shape[1] // 4: shape[1] // 2] += 400
    return image.astype(dtype)


def make_fei_tiff(folder: Path, name: str = "fei.tif") -> Path:
    import tifffile

    path = Path(folder) / name
    tifffile.imwrite(path, _pattern(dtype=np.uint8), extratags=[(FEI_HELIOS_TAG, "s", 0, FEI_TEXT, True)])
    return path


def make_fei_appended_tiff(folder: Path, name: str = "fei_appended.tif") -> Path:
    """An FEI image whose metadata follows the image data instead of sitting in a tag (older xT)."""
    import tifffile

    path = Path(folder) / name
    tifffile.imwrite(path, _pattern(dtype=np.uint8))
    with open(path, "ab") as handle:
        handle.write(FEI_TEXT.replace("\n", "\r\n").encode("ascii"))
    return path


def make_zeiss_tiff(folder: Path, name: str = "zeiss.tif") -> Path:
    import tifffile

    path = Path(folder) / name
    tifffile.imwrite(path, _pattern(dtype=np.uint8), extratags=[(CZ_SEM_TAG, "s", 0, ZEISS_TEXT, True)])
    return path


def make_imagej_tiff(folder: Path, name: str = "imagej.tif", unit: str = "um") -> Path:
    """A 3-frame ImageJ stack calibrated at 0.5 `unit` per pixel."""
    import tifffile

    path = Path(folder) / name
    stack = np.stack([_pattern(dtype=np.uint16) * (i + 1) for i in range(3)])
    tifffile.imwrite(path, stack, imagej=True, resolution=(2.0, 2.0), metadata={"unit": unit, "axes": "ZYX"})
    return path


def make_plain_tiff(folder: Path, name: str = "plain.tif", dtype=np.float32) -> Path:
    import tifffile

    path = Path(folder) / name
    tifffile.imwrite(path, _pattern(dtype=dtype))
    return path


def make_multipage_tiff(folder: Path, name: str = "pages.tif", pages: int = 4) -> Path:
    import tifffile

    path = Path(folder) / name
    with tifffile.TiffWriter(path) as writer:
        for i in range(pages):
            writer.write(_pattern(dtype=np.uint16) + i * 50)
    return path
