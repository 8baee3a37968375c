"""Helium-ion microscope TIFF: Zeiss ORION (XML <ImageTags> of <Value>/<Units> pairs in TIFF tag 65000)
and Fibics NPVE (XML <Fibics> with Application, Image, Scan, Stage, BeamInfo sections in tag 51023),
often RGBA and LZW-compressed, read with tifffile (imagecodecs decodes the pixels). Described by the
Zeiss ORION NanoFab and Fibics NPVE user documentation and the tifffile source.
"""
from records.errors import UnreadableFile
from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable, nonzero

NAME = "tiff_him"
EXTENSIONS = (".tif", ".tiff")
ORION_TAG = 65000
FIBICS_TAG = 51023
MAX_XML_BYTES = 4 * 1024**2
_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


_GASES = {"he": "helium", "ne": "neon", "ga": "gallium"}


def _species(gas):
    name = str(gas).strip().lower()
    return _GASES.get(name, name) or None


MAPPING = (
    # Zeiss ORION
    ("orion.AccelerationVoltage", "acceleration_voltage", "V", nonzero),
    ("orion.ExtractionVoltage", "extraction_voltage", "V", lambda v: abs(float(v)) or None),
    ("orion.GFIS_BeamCurrent", "beam_current", "pA", nonzero),
    ("orion.BlankerCurrent", "beam_current", "pA", nonzero),
    ("orion.SampleCurrent", "probe_current", "pA", nonzero),
    ("orion.SpotNumber", "spot_size", None, float),
    ("orion.ScalingX", "pixel_size_x", "m", nonzero),
    ("orion.ScalingY", "pixel_size_y", "m", nonzero),
    ("orion.Fov", "horizontal_field_width", "um", nonzero),
    ("orion.WorkingDistance", "working_distance", "mm", nonzero),
    ("orion.DwellTime", "dwell_time", "us", nonzero),
    ("orion.NumAverages", "frame_count", None, int),
    ("orion.ChamberPressure", "chamber_pressure", "torr", float),
    ("orion.StageX", "stage_x", "um", float),
    ("orion.StageY", "stage_y", "um", float),
    ("orion.StageZ", "stage_z", "mm", float),
    ("orion.StageTilt", "stage_alpha", "deg", float),
    ("orion.StageRotate", "stage_rotation", "deg", float),
    ("orion.GFIS_ApertureSize", "objective_aperture", "um", nonzero),
    ("orion.DetectorName", "detector", None, str),
    ("orion.GFIS_IonGas", "beam_species", None, _species),
    ("orion.System_Model", "model", None, lambda v: str(v).strip("_") or None),
    # Fibics
    ("fibics.BeamInfo.AccV", "acceleration_voltage", "V", nonzero),
    ("fibics.BeamInfo.BeamI", "beam_current", "pA", nonzero),
    ("fibics.BeamInfo.GFISGas", "beam_species", None, _species),
    ("fibics.BeamInfo.SpotControl", "spot_size", None, float),
    ("fibics.Scan.Dwell", "dwell_time", "ns", nonzero),
    ("fibics.Scan.LineAvg", "frame_count", None, int),
    ("fibics.Stage.X", "stage_x", "um", float),
    ("fibics.Stage.Y", "stage_y", "um", float),
    ("fibics.Stage.Z", "stage_z", "um", float),
    ("fibics.Stage.Tilt", "stage_alpha", "deg", float),
    ("fibics.Stage.Rot", "stage_rotation", "deg", float),
    ("fibics.Image.Detector", "detector", None, str),
    ("fibics.Image.Machine", "model", None, str),
    ("fibics.Application.Version", "software_version", None, lambda v: str(v) if "NPVE" in str(v) else f"Fibics NPVE {v}"),
)


def _xml(page, code: int):
    from records.xmlparser import parse

    tag = page.tags.get(code)
    if tag is None:
        return None
    raw = tag.value if isinstance(tag.value, bytes) else str(tag.value).encode("utf-8")
    try:
        return parse(raw.rstrip(b"\x00"), max_size=MAX_XML_BYTES)
    except Exception as exc:  # noqa: BLE001 - lxml and the size guard raise different kinds
        raise UnreadableFile(f"the helium-ion metadata XML does not parse: {exc}") from exc


def _orion(root) -> dict:
    """{tag: value} of the <ImageTags> children; a dotted name ("GFIS.BeamCurrent") becomes "GFIS_BeamCurrent"
    so that it stays one step of a MAPPING path."""
    return {child.tag.replace(".", "_"): (child.findtext("Value") or "").strip()
            for child in root if isinstance(child.tag, str)}


def _fibics(root) -> dict:
    """{section: {field: text}} of the <Fibics> sections."""
    return {section.tag: {field.tag: (field.text or "").strip() for field in section if isinstance(field.tag, str)}
            for section in root if isinstance(section.tag, str)}


def extract(path) -> Extraction:
    """Read the ORION or Fibics XML and the image shape; pixels are read only by the loader."""
    with tiff_common.open_tiff(path) as handle:
        page = handle.pages[0]
        orion, fibics = _xml(page, ORION_TAG), _xml(page, FIBICS_TAG)
        facts, axes, loader, size, problem = tiff_common.describe(handle, path)
        baseline = tiff_common.tags(page)
    vendor = "Zeiss" if orion is not None else "Fibics"
    tree = {"orion": _orion(orion) if orion is not None else {},
            "fibics": _fibics(fibics) if fibics is not None else {}}
    metadata, warnings = apply_mapping(tree, MAPPING)
    tiff_common.calibrate(axes, metadata)
    metadata.update(facts)
    metadata.update({"vendor": vendor, "acquisition_mode": "HIM"})
    metadata.setdefault("beam_species", "helium")
    stamp = (orion is not None and tree["orion"].get("TimeStamp")) or tree["fibics"].get("Application", {}).get("Date")
    acquired = iso_time(str(stamp or ""), "", _DATE_FORMATS)
    if acquired:
        metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format=f"{vendor} HIM TIFF", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({**tree, "tiff": baseline}), warnings=tuple(warnings), error=problem,
        loader=None if problem else loader, data_bytes=size,
    )
