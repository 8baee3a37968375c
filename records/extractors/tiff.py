"""Other TIFF files: TVIPS EM-MENU TIFF (TemData header in tag 37706: high tension, magnification,
exposure, camera, pixel size, stage), ImageJ hyperstacks (ImageJ description: unit, spacing, axes),
multi-page stacks, DigitalMicrograph-saved and plain TIFF (XResolution/ResolutionUnit calibration),
compressed with any codec imagecodecs decodes (LZW, Deflate, JPEG, ZSTD ...), read with tifffile.
Described by the TIFF 6.0 specification, the tifffile documentation and the TVIPS EM-MENU help.
"""
from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable, single
from records.units import quantity

NAME = "tiff"
EXTENSIONS = (".tif", ".tiff")
_DATE_FORMATS = ("%Y:%m:%d %H:%M:%S",)
_RESOLUTION_UNITS = {"CENTIMETER": "cm", "INCH": "inch", "MILLIMETER": "mm", "MICROMETER": "um"}
_GATAN_TAG = 65027  # DigitalMicrograph writes its tag tree here when saving TIFF
_TVIPS_TAG = 37706

def _nonzero(value):
    """A float32 header number as written; 0 means "not recorded" in these headers."""
    return single(value) if float(value) != 0.0 else None


def _item(index: int):
    return lambda values: single(values[index])


MAPPING = (
    ("tvips.TemHighTension", "acceleration_voltage", "V", _nonzero),
    ("tvips.HighTension", "acceleration_voltage", "kV", _nonzero),  # EM-MENU 3 (version 1) headers
    ("tvips.TemMagnification", "magnification", None, _nonzero),
    ("tvips.Magnification", "magnification", None, _nonzero),
    ("tvips.ExposureTime", "exposure_time", "ms", _nonzero),
    ("tvips.PixelSizeX", "pixel_size_x", "nm", _nonzero),
    ("tvips.PixelSizeY", "pixel_size_y", "nm", _nonzero),
    ("tvips.BinningX", "binning", None, int),
    ("tvips.CameraType", "detector", None, str),
    ("tvips.TemType", "model", None, str),
    ("tvips.TemStagePosition", "stage_x", "m", _item(0)),
    ("tvips.TemStagePosition", "stage_y", "m", _item(1)),
    ("tvips.TemStagePosition", "stage_z", "m", _item(2)),
    ("tvips.TemStagePosition", "stage_alpha", "deg", _item(3)),
    ("tvips.TemStagePosition", "stage_beta", "deg", _item(4)),
    ("tvips.TemIllumination", "spot_size", None, lambda values: _nonzero(values[0])),
    ("tiff.Make", "vendor", None, None),
    ("tiff.Model", "model", None, None),
    ("tiff.Software", "software_version", None, None),
)


def _calibration(handle, page) -> tuple[float, str] | None:
    """(pixel size, unit) from ImageJ's unit or from a physical XResolution."""
    imagej = handle.imagej_metadata or {}
    resolution = page.tags.get("XResolution")
    if resolution is None:
        return None
    numerator, denominator = resolution.value
    if not numerator or not denominator:
        return None
    per_unit = numerator / denominator
    unit = imagej.get("unit")
    if unit:
        unit = {"micron": "um", "\\u00B5m": "um", "µm": "um"}.get(unit, unit)
        return 1.0 / per_unit, unit
    code = page.tags.get("ResolutionUnit")
    name = getattr(code.value, "name", "") if code else ""
    if name in _RESOLUTION_UNITS and per_unit > 1e3:  # a screen DPI is not a physical calibration
        return 1.0 / per_unit, _RESOLUTION_UNITS[name]
    return None


def extract(path) -> Extraction:
    """Read the baseline tags, ImageJ description and stack shape; pixels are read only by `loader`."""
    with tiff_common.open_tiff(path) as handle:
        page = handle.pages[0]
        facts, axes, loader, size, problem = tiff_common.describe(handle, path)
        baseline = tiff_common.tags(page)
        imagej = handle.imagej_metadata or {}
        tvips = handle.tvips_metadata or {} if _TVIPS_TAG in page.tags else {}
        calibration = None if tvips else _calibration(handle, page)
        flavour = ("TVIPS TIFF" if tvips else "ImageJ TIFF" if handle.is_imagej
                   else "DigitalMicrograph TIFF" if _GATAN_TAG in page.tags else "TIFF")
    tree = {"tiff": baseline, "imagej": imagej, "tvips": tvips}
    metadata, warnings = apply_mapping(tree, MAPPING)
    tiff_common.calibrate(axes, metadata)
    metadata.update(facts)
    if tvips:
        metadata.update({"vendor": "TVIPS", "acquisition_mode": metadata.get("acquisition_mode", "TEM")})
    if calibration:
        scale, unit = calibration
        try:
            pixel_size = quantity(scale, unit, "pixel_size_x")
        except ValueError as exc:  # the unit text is the file's own and may be anything
            warnings.append(f"the calibration unit {unit[:40]!r} is not understood ({exc})")
        else:
            for axis in axes:
                if not axis["navigate"]:
                    axis["scale"], axis["unit"] = scale, unit
            metadata["pixel_size_x"] = pixel_size
            metadata["pixel_size_y"] = dict(pixel_size)
    if "DateTime" in baseline:
        acquired = iso_time(str(baseline["DateTime"]), "", _DATE_FORMATS)
        if acquired:
            metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format=flavour, extractor=NAME, metadata=metadata,
        original_metadata=jsonable(tree), warnings=tuple(warnings), error=problem,
        loader=None if problem else loader, data_bytes=size,
    )
