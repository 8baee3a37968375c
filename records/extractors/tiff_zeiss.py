"""Zeiss SEM TIFF (SmartSEM): the CZ_SEM tag 34118 of (label, value, unit) parameters such as EHT,
WD, Pixel Size, Stage at X/Y/Z/T, Date, Time, read with tifffile. Described in the tifffile source
and the RosettaSciIO TIFF docs; vendor documentation is the SmartSEM parameter list.
"""
import re

from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable

NAME = "tiff_zeiss"
EXTENSIONS = (".tif", ".tiff")
_DATE_FORMATS = ("%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d.%m.%Y %H:%M:%S")


def _value(entry):
    """The number of a (label, value, unit) triple; a "50.00 K X" string becomes 50000."""
    value = entry[1] if isinstance(entry, (tuple, list)) and len(entry) > 1 else entry
    if isinstance(value, str):
        match = re.match(r"\s*([-+]?\d+(?:\.\d+)?)\s*([KM]?)", value)
        if not match:
            raise ValueError(f"no number in {value!r}")
        return float(match.group(1)) * {"": 1, "K": 1e3, "M": 1e6}[match.group(2)]
    return float(value)


def _text(entry):
    return str(entry[1] if isinstance(entry, (tuple, list)) and len(entry) > 1 else entry)


MAPPING = (
    ("ap_actualkv", "acceleration_voltage", "kV", _value),
    ("ap_manualkv", "acceleration_voltage", "kV", _value),
    ("ap_iprobe", "beam_current", "pA", _value),
    ("ap_mag", "magnification", None, _value),
    ("ap_pixel_size", "pixel_size_x", "nm", _value),
    ("ap_pixel_size", "pixel_size_y", "nm", _value),
    ("ap_wd", "working_distance", "mm", _value),
    ("ap_stage_at_x", "stage_x", "mm", _value),
    ("ap_stage_at_y", "stage_y", "mm", _value),
    ("ap_stage_at_z", "stage_z", "mm", _value),
    ("ap_stage_at_t", "stage_alpha", "deg", _value),
    ("dp_detector_channel", "detector", None, _text),
    ("sv_serial_number", "model", None, _text),
    ("sv_user_name", "operator", None, _text),
)


def extract(path) -> Extraction:
    """Read the CZ_SEM parameters and the image shape; pixels are read only by `loader`."""
    with tiff_common.open_tiff(path) as handle:
        parameters = handle.sem_metadata or {}
        facts, axes, loader, size, problem = tiff_common.describe(handle, path)
        baseline = tiff_common.tags(handle.pages[0])
    metadata, warnings = apply_mapping(parameters, MAPPING)
    tiff_common.calibrate(axes, metadata)
    metadata.update(facts)
    metadata["vendor"] = "Zeiss"
    date, time = parameters.get("ap_date"), parameters.get("ap_time")
    if date and time:
        acquired = iso_time(_text(date), _text(time), _DATE_FORMATS)
        if acquired:
            metadata["acquisition_time"] = acquired
    if not parameters:
        warnings.append("no CZ_SEM parameters in this TIFF")
    return Extraction(
        path=str(path), format="Zeiss SEM TIFF", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"cz_sem": parameters, "tiff": baseline}), warnings=tuple(warnings),
        error=problem, loader=None if problem else loader, data_bytes=size,
    )
