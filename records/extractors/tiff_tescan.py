"""TESCAN SEM, FIB and plasma-FIB TIFF (Essence, MIRA, AMBER, SOLARIS): the key=value metadata in TIFF
tag 50431 (after a JPEG 2000 thumbnail) and, when it sits beside the image, the .hdr sidecar with the
same keys in [MAIN] and [SEM] or [FIB] sections; SI units (V, m, A, Pa, s). Read with tifffile.
Described in the TESCAN Essence documentation and the tifffile source.
"""
from pathlib import Path

from records.extractors import tiff_common
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable, nonzero
from records.extractors.headers import key_values, parse_ini

NAME = "tiff_tescan"
EXTENSIONS = (".tif", ".tiff")
TESCAN_TAG = 50431
MAX_HEADER_BYTES = 1024**2


MAPPING = (
    ("beam.HV", "acceleration_voltage", "V", nonzero),
    ("beam.AcceleratorVoltage", "acceleration_voltage", "V", nonzero),
    ("beam.WD", "working_distance", "m", nonzero),
    ("beam.EmissionCurrent", "emission_current", "A", nonzero),
    ("beam.PredictedBeamCurrent", "beam_current", "A", nonzero),
    ("beam.SpecimenCurrent", "probe_current", "A", lambda v: abs(float(v)) or None),
    ("beam.ChamberPressure", "chamber_pressure", "Pa", nonzero),
    ("beam.DwellTime", "dwell_time", "s", nonzero),
    ("beam.Detector", "detector", None, str),
    ("beam.StageX", "stage_x", "m", float),
    ("beam.StageY", "stage_y", "m", float),
    ("beam.StageZ", "stage_z", "m", float),
    ("beam.StageTilt", "stage_alpha", "deg", float),
    ("beam.StageRotation", "stage_rotation", "deg", float),
    ("beam.ApertureDiameter", "objective_aperture", "m", nonzero),
    ("beam.ScanMode", "mode", None, str),
    ("MAIN.Magnification", "magnification", None, nonzero),
    ("MAIN.PixelSizeX", "pixel_size_x", "m", nonzero),
    ("MAIN.PixelSizeY", "pixel_size_y", "m", nonzero),
    ("MAIN.Device", "model", None, str),
    ("MAIN.SerialNumber", "serial_number", None, str),
    ("MAIN.SoftwareVersion", "software_version", None, str),
    ("MAIN.UserName", "operator", None, str),
)
_MAIN_KEYS = ("Magnification", "PixelSizeX", "PixelSizeY", "Device", "SerialNumber", "SoftwareVersion", "UserName",
              "Date", "Time")


def _sidecar(path: Path) -> tuple[dict | None, str | None]:
    header = path.with_suffix(".hdr")
    if not header.is_file() or header.stat().st_size > MAX_HEADER_BYTES:
        return None, None
    sections = parse_ini(header.read_text(encoding="utf-8", errors="replace"))
    return (sections, header.name) if "MAIN" in sections else (None, None)


def _from_tag(raw: bytes) -> dict:
    """The tag's key=value lines as the sections of the sidecar: [MAIN] keys and one beam section."""
    pairs = key_values(raw.decode("latin-1"))
    main = {k: v for k, v in pairs.items() if k in _MAIN_KEYS}
    beam = {k: v for k, v in pairs.items() if k not in _MAIN_KEYS}
    return {"MAIN": main, "SEM" if "HV" in beam else "beam": beam}


def extract(path) -> Extraction:
    """Read TESCAN metadata (the .hdr beside the image first, else the TIFF tag) and the image shape."""
    path = Path(path)
    with tiff_common.open_tiff(path) as handle:
        page = handle.pages[0]
        tag = page.tags.get(TESCAN_TAG)
        raw = tag.value if tag is not None and isinstance(tag.value, bytes) else b""
        facts, axes, loader, size, problem = tiff_common.describe(handle, path)
        baseline = tiff_common.tags(page)
    sections, header = _sidecar(path)
    warnings = []
    if sections is None:
        sections = _from_tag(raw)
    beam_name = next((n for n in ("SEM", "FIB") if n in sections), None)
    tree = {"MAIN": sections.get("MAIN", {}), "beam": sections.get(beam_name or "beam", {})}
    metadata, mapping_warnings = apply_mapping(tree, MAPPING)
    tiff_common.calibrate(axes, metadata)
    metadata.update(facts)
    metadata["vendor"] = "TESCAN"
    if beam_name:
        metadata["acquisition_mode"] = beam_name
        metadata["beam_species"] = "electron" if beam_name == "SEM" else "ion"
    if header:
        metadata["companion"] = header
    if not tree["beam"]:
        warnings.append("no TESCAN beam parameters in the TIFF tag or beside it")
    acquired = iso_time(tree["MAIN"].get("Date", ""), tree["MAIN"].get("Time", ""), ("%Y-%m-%d %H:%M:%S",))
    if acquired:
        metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format="TESCAN TIFF", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"tescan": sections, "tiff": baseline}), warnings=tuple(warnings + mapping_warnings),
        error=problem, loader=None if problem else loader, data_bytes=size,
    )
