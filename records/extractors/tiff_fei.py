"""FEI / Thermo Fisher SEM, FIB and DualBeam TIFF: the INI-style metadata block (FEI_HELIOS tag 34682,
FEI_SFEG tag 34680, or the same text appended after the image) with [User], [Beam]/[EBeam], [Scan],
[Stage], [Detectors] sections, read with tifffile. Described in the tifffile source and the
RosettaSciIO TIFF docs; vendor documentation is the xT/Helios user manual.
"""
from records.extractors import tiff_common
from records.extractors.headers import parse_ini
from records.extractors.base import Extraction, acquisition_mode, apply_mapping, iso_time, jsonable, lookup

NAME = "tiff_fei"
EXTENSIONS = (".tif", ".tiff")
TAIL_BYTES = 65536  # metadata appended after the image sits in the last few kilobytes
FEI_TAGS = (34682, 34680)  # FEI_HELIOS, FEI_SFEG
MAX_XML_BYTES = 1024**2
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
    ("Vacuum.UserMode", "vacuum_mode", None, None),
    ("Vacuum.ChPressure", "chamber_pressure", "Pa", float),
    ("EBeam.EmissionCurrent", "emission_current", "A", float),
    ("EBeam.HFW", "horizontal_field_width", "m", float),
    ("Scan.HorFieldsize", "horizontal_field_width", "m", float),
    ("EBeam.BeamMode", "mode", None, None),
    ("Beam.Beam", "beam_species", None, lambda v: {"EBeam": "electron", "IBeam": "ion"}.get(str(v))),
    ("Stage.StageR", "stage_rotation", "rad", float),
    ("System.Software", "software_version", None, None),
    ("System.BuildNr", "software_version", None, lambda v: f"xT build {v}"),
    ("EBeamDeceleration.LandingEnergy", "acceleration_voltage", "eV", float),
    # TEM TIFF: the <Root> XML of <Data> label, value, unit triples (TIA's experimental description)
    ("tem.High tension", "acceleration_voltage", "kV", float),
    ("tem.Extraction voltage", "extraction_voltage", "V", float),
    ("tem.Emission", "emission_current", "uA", float),
    ("tem.Magnification", "magnification", None, float),
    ("tem.Spot size", "spot_size", None, float),
    ("tem.Camera length", "camera_length", "m", float),
    ("tem.Stage X", "stage_x", "um", float),
    ("tem.Stage Y", "stage_y", "um", float),
    ("tem.Stage Z", "stage_z", "um", float),
    ("tem.Stage A", "stage_alpha", "deg", float),
    ("tem.Stage B", "stage_beta", "deg", float),
    ("tem.Mode", "mode", None, str.strip),
    ("tem.Mode", "acquisition_mode", None, acquisition_mode),
    ("tem.Microscope", "model", None, lambda s: str(s).replace("Microscope ", "")),
    ("tem.User", "operator", None, None),
    ("tem.Filter mode", "energy_filter", None, None),
)


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
    return parse_ini(tail[start:].decode("latin-1").replace("\x00", ""))


def _root_xml(handle, page) -> dict:
    """The label -> value pairs of a FEI/Thermo TEM TIFF, whose tag holds <Root><Data><Label>..."""
    from records.xmlparser import parse

    for code in FEI_TAGS:
        tag = page.tags.get(code)
        if tag is None:
            continue
        handle.filehandle.seek(tag.valueoffset)
        raw = handle.filehandle.read(min(tag.count, MAX_XML_BYTES))
        if not raw.lstrip().startswith(b"<Root"):
            continue
        try:
            root = parse(raw.rstrip(b"\x00 "), max_size=MAX_XML_BYTES)
        except Exception:  # noqa: BLE001 - a damaged XML leaves the image without this metadata
            return {}
        return {(d.findtext("Label") or "").strip(): (d.findtext("Value") or "").strip() for d in root.iter("Data")}
    return {}


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
        tem = _root_xml(handle, page) if not sections else {}
        if tem:
            sections = {"tem": tem}
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
    if "tem" in sections:
        metadata.setdefault("acquisition_mode", "TEM")
    else:
        metadata.setdefault("acquisition_mode", "FIB" if metadata.get("beam_species") == "ion" else "SEM")
    missing = [name for name in ("Beam", "Scan", "System") if name not in sections and "tem" not in sections]
    if sections and missing:
        warnings.append(f"FEI metadata sections missing: {', '.join(missing)}")
    return Extraction(
        path=str(path), format="FEI TIFF", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"fei": sections, "tiff": baseline}),
        warnings=tuple(warnings + mapping_warnings), error=problem,
        loader=None if problem else loader, data_bytes=size,
    )
