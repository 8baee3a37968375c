"""FEI / Thermo Fisher SEM, FIB and DualBeam TIFF: the INI-style metadata block (FEI_HELIOS tag 34682,
FEI_SFEG tag 34680, or the same text appended after the image) with [User], [Beam]/[EBeam], [Scan],
[Stage], [Detectors] sections, read with tifffile. Described in the tifffile source and the
RosettaSciIO TIFF docs; vendor documentation is the xT/Helios user manual.
"""
import configparser

from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable, lookup

NAME = "tiff_fei"
EXTENSIONS = (".tif", ".tiff")
TAIL_BYTES = 65536  # metadata appended after the image sits in the last few kilobytes
_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S")

MAPPING = (
    ("Beam.HV", "acceleration_voltage", "V", float),
    ("EBeam.HV", "acceleration_voltage", "V", float),
    ("IBeam.HV", "acceleration_voltage", "V", float),
    ("EBeam.BeamCurrent", "beam_current", "A", float),
    ("IBeam.BeamCurrent", "beam_current", "A", float),
    ("EBeam.EmissionCurrent", "emission_current", "A", float),
    ("Scan.PixelWidth", "pixel_size_x", "m", float),
    ("Scan.PixelHeight", "pixel_size_y", "m", float),
    ("EScan.PixelWidth", "pixel_size_x", "m", float),
    ("EScan.PixelHeight", "pixel_size_y", "m", float),
    ("Stage.WorkingDistance", "working_distance", "m", float),
    ("EBeam.WD", "working_distance", "m", float),
    ("Scan.Dwelltime", "dwell_time", "s", float),
    ("EScan.Dwell", "dwell_time", "s", float),
    ("Beam.Spot", "spot_size", None, float),
    ("Stage.StageX", "stage_x", "m", float),
    ("Stage.StageY", "stage_y", "m", float),
    ("Stage.StageZ", "stage_z", "m", float),
    ("Stage.StageT", "stage_alpha", "rad", float),
    ("Stage.StageTb", "stage_beta", "rad", float),
    ("EBeam.StageX", "stage_x", "m", float),
    ("EBeam.StageY", "stage_y", "m", float),
    ("EBeam.StageZ", "stage_z", "m", float),
    ("EBeam.StageTa", "stage_alpha", "rad", float),
    ("EBeam.StageTb", "stage_beta", "rad", float),
    ("Detectors.Name", "detector", None, None),
    ("System.SystemType", "model", None, None),
    ("System.Type", "model", None, None),
    ("User.User", "operator", None, None),
    ("Vacuum.UserMode", "mode", None, None),
)


def _parse_ini(text: str) -> dict:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    return {section: dict(parser[section]) for section in parser.sections()}


def _appended(path) -> dict:
    """The FEI INI block written after the image data when no tag holds it."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read()
    start = tail.rfind(b"[User]")
    if start < 0:
        return {}
    return _parse_ini(tail[start:].decode("latin-1").replace("\x00", ""))


def _magnification(sections: dict) -> float | None:
    """Magnification as the xT data bar shows it: reference display width over horizontal field width."""
    width = lookup(sections, "Image.MagCanvasRealWidth")
    field = lookup(sections, "EBeam.HFW") or lookup(sections, "Scan.HorFieldsize")
    try:
        return round(float(width) / float(field), 1) if width and field else None
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def extract(path) -> Extraction:
    """Read the FEI metadata sections and the image shape; pixels are read only by `loader`."""
    with tiff_common.open_tiff(path) as handle:
        page = handle.pages[0]
        sections = handle.fei_metadata or {}
        warnings = []
        if not sections:
            sections = _appended(path)
            if sections:
                warnings.append("FEI metadata found after the image data, not in its TIFF tag")
        facts, axes, loader, size, problem = tiff_common.describe(handle, path)
        baseline = tiff_common.tags(page)
    metadata, mapping_warnings = apply_mapping(sections, MAPPING)
    tiff_common.calibrate(axes, metadata)
    metadata.update(facts)
    metadata["vendor"] = "FEI"
    magnification = _magnification(sections)
    if magnification:
        metadata["magnification"] = magnification
    acquired = iso_time(str(lookup(sections, "User.Date") or ""), str(lookup(sections, "User.Time") or ""),
                        _DATE_FORMATS)
    if acquired:
        metadata["acquisition_time"] = acquired
    missing = [name for name in ("Beam", "Scan", "System") if name not in sections]
    if sections and missing:
        warnings.append(f"FEI metadata sections missing: {', '.join(missing)}")
    return Extraction(
        path=str(path), format="FEI TIFF", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"fei": sections, "tiff": baseline}),
        warnings=tuple(warnings + mapping_warnings), error=problem,
        loader=None if problem else loader, data_bytes=size,
    )
