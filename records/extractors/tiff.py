"""Other TIFF files: ImageJ hyperstacks (ImageJ description: unit, spacing, axes), multi-page stacks,
DigitalMicrograph-saved and plain TIFF (XResolution/ResolutionUnit calibration), read with tifffile.
Described by the TIFF 6.0 specification and the tifffile documentation.
"""
from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable
from records.units import quantity

NAME = "tiff"
EXTENSIONS = (".tif", ".tiff")
_DATE_FORMATS = ("%Y:%m:%d %H:%M:%S",)
_RESOLUTION_UNITS = {"CENTIMETER": "cm", "INCH": "inch", "MILLIMETER": "mm", "MICROMETER": "um"}
_GATAN_TAG = 65027  # DigitalMicrograph writes its tag tree here when saving TIFF

MAPPING = (
    ("tiff.Make", "vendor", None, None),
    ("tiff.Model", "model", None, None),
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
        calibration = _calibration(handle, page)
        flavour = "ImageJ TIFF" if handle.is_imagej else ("DigitalMicrograph TIFF" if _GATAN_TAG in page.tags
                                                          else "TIFF")
    tree = {"tiff": baseline, "imagej": imagej}
    metadata, warnings = apply_mapping(tree, MAPPING)
    metadata.update(facts)
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
