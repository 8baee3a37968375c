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


TVIPS_TAG = 37706
TESCAN_TAG = 50431
ORION_TAG = 65000
FIBICS_TAG = 51023


def _tvips_header() -> bytes:
    """A TVIPS EM-MENU 4 (version 2) TemData header: 300 kV, 40000x, 0.5 s, 0.8 nm pixels, stage in m."""
    import tifffile

    first = np.zeros(1, dtype=np.dtype(tifffile.TIFF.TVIPS_HEADER_V1).newbyteorder("<"))
    first["Version"] = 2
    second = np.zeros(1, dtype=np.dtype(tifffile.TIFF.TVIPS_HEADER_V2).newbyteorder("<"))
    for name, text in (("TemType", "JEM-3200FSC"), ("CameraType", "TemCam-F416"), ("ImageName", "test")):
        raw = text.encode("utf-16-le")
        second[name] = raw + b"\x00" * (second.dtype[name].itemsize - len(raw))
    second["TemHighTension"] = 300000.0
    second["TemMagnification"] = 40000.0
    second["ExposureTime"] = 500.0
    second["PixelSizeX"] = second["PixelSizeY"] = 0.8
    second["BinningX"] = second["BinningY"] = 2
    second["TemStagePosition"] = (1.5e-5, -2.0e-5, 1.0e-6, 12.5, 0.0)
    second["Magic"] = 0xAAAAAAAA
    return first.tobytes() + second.tobytes()


def make_tvips_tiff(folder: Path, name: str = "tvips.tif") -> Path:
    import tifffile

    path = Path(folder) / name
    header = _tvips_header()
    tifffile.imwrite(path, _pattern(dtype=np.uint16), extratags=[(TVIPS_TAG, "B", len(header), header, True)])
    return path


def make_lzw_tiff(folder: Path, name: str = "lzw.tif") -> Path:
    """An RGBA image compressed with LZW (readable only with imagecodecs)."""
    import tifffile

    path = Path(folder) / name
    rgba = np.zeros(SHAPE + (4,), dtype=np.uint8)
    rgba[..., 0], rgba[..., 3] = _pattern(dtype=np.uint8), 255
    tifffile.imwrite(path, rgba, photometric="rgb", extrasamples=("unassalpha",), compression="lzw")
    return path


TESCAN_MAIN = """Date=2024-03-05
Device=TESCAN MIRA
Magnification=25000.0
PixelSizeX=0.00000001
PixelSizeY=0.00000001
SerialNumber=123-4567
SoftwareVersion=TESCAN Essence 1.2
Time=10:20:30
UserName=tester
"""
TESCAN_BEAM = """ChamberPressure=0.0012
Detector=SE
DwellTime=0.000003
EmissionCurrent=0.00015
HV=10000.0
StageRotation=45.0
StageTilt=10.0
StageX=0.001
StageY=0.002
StageZ=0.003
WD=0.0085
"""


def make_tescan_tiff(folder: Path, name: str = "tescan.tif", sidecar: bool = False) -> Path:
    """A TESCAN SEM image: key=value blocks in tag 50431 after a binary marker, optionally an .hdr beside."""
    import tifffile

    path = Path(folder) / name
    raw = b"\x99\x15\x00\x00binary thumbnail\x00" + TESCAN_MAIN.encode() + b"\x00\x1e\x05\x00" + TESCAN_BEAM.encode()
    tifffile.imwrite(path, _pattern(dtype=np.uint16), extratags=[(TESCAN_TAG, "B", len(raw), raw, True)])
    if sidecar:
        path.with_suffix(".hdr").write_text(f"[MAIN]\n{TESCAN_MAIN}\n[SEM]\n{TESCAN_BEAM.replace('10000.0', '12000.0')}")
    return path


ORION_XML = ("<ImageTags><AccelerationVoltage><Value>29997</Value><Units>Volts</Units></AccelerationVoltage>"
             "<GFIS.BeamCurrent><Value>0.5</Value><Units>pA</Units></GFIS.BeamCurrent>"
             "<GFIS.IonGas><Value>Neon</Value><Units></Units></GFIS.IonGas>"
             "<SpotNumber><Value>5</Value><Units></Units></SpotNumber>"
             "<ScalingX><Value>2E-09</Value><Units>m</Units></ScalingX>"
             "<ScalingY><Value>2E-09</Value><Units>m</Units></ScalingY>"
             "<StageX><Value>1200.5</Value><Units>um</Units></StageX>"
             "<StageTilt><Value>3.5</Value><Units>Degrees</Units></StageTilt>"
             "<WorkingDistance><Value>9.5</Value><Units>mm</Units></WorkingDistance>"
             "<TimeStamp><Value>3/05/2024 1:15:00 PM</Value><Units></Units></TimeStamp></ImageTags>")
FIBICS_XML = ("<Fibics version='1.0'><Application><Version>NPVE 4.5</Version></Application>"
              "<BeamInfo><AccV>25000</AccV><BeamI>1.25</BeamI><GFISGas>He</GFISGas></BeamInfo>"
              "<Scan><Dwell>800</Dwell></Scan><Stage><X>10.5</X><Tilt>0.5</Tilt></Stage>"
              "<Image><Detector>ETD</Detector><Machine>Orion NanoFab</Machine></Image></Fibics>")


def make_him_tiff(folder: Path, name: str = "him.tif", fibics: bool = False) -> Path:
    """A helium-ion image (RGBA, LZW) with Zeiss ORION <ImageTags> or Fibics XML."""
    import tifffile

    path = Path(folder) / name
    rgba = np.zeros(SHAPE + (4,), dtype=np.uint8)
    rgba[..., :3] = _pattern(dtype=np.uint8)[..., None]
    rgba[..., 3] = 255
    code, text = (FIBICS_TAG, FIBICS_XML) if fibics else (ORION_TAG, ORION_XML)
    raw = text.encode("utf-8")
    tifffile.imwrite(path, rgba, photometric="rgb", extrasamples=("unassalpha",), compression="lzw",
                     extratags=[(code, "B", len(raw), raw, True)])
    return path
