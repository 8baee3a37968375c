"""FEI/Thermo Fisher TIA .ser data files with their .emi companion (microscope conditions, acquisition
date, calibrations), read with rsciio.tia. An .emi whose .ser files are missing is described, not
failed. Format described in the RosettaSciIO TIA docs and FEI's "SER file format" note.
"""
import glob
import re
from pathlib import Path

from records.extractors.base import Extraction, acquisition_mode, iso_time, jsonable, lookup
from records.extractors.rsciio_result import describe, lazy_for, mapped

NAME = "tia"
EXTENSIONS = (".ser", ".emi")
_DATE_FORMATS = ("%a %b %d %H:%M:%S %Y",)
_SERIES = re.compile(r"^(?P<stem>.*)_(?P<index>\d+)\.ser$", re.IGNORECASE)


def _first_number(text):
    match = re.search(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", str(text))
    return float(match.group(0)) if match else None


def _vendor(text):
    return "FEI" if "FEI" in str(text).upper() else str(text)


MAPPING = (
    ("ObjectInfo.ExperimentalConditions.MicroscopeConditions.AcceleratingVoltage", "acceleration_voltage", "V",
     float),
    ("ObjectInfo.ExperimentalDescription.High tension_kV", "acceleration_voltage", "kV", float),
    ("ObjectInfo.Manufacturer", "vendor", None, _vendor),
    ("ObjectInfo.ExperimentalDescription.Microscope", "model", None, lambda s: str(s).replace("Microscope ", "")),
    ("ObjectInfo.ExperimentalDescription.Magnification_x", "magnification", None, float),
    ("ObjectInfo.AcquireInfo.Magnification", "magnification", None, _first_number),
    ("ObjectInfo.ExperimentalDescription.Emission_uA", "emission_current", "uA", float),
    ("ObjectInfo.ExperimentalDescription.Camera length_m", "camera_length", "m", float),
    ("ObjectInfo.ExperimentalDescription.Spot size", "spot_size", None, _first_number),
    ("ObjectInfo.ExperimentalDescription.Stage X_um", "stage_x", "um", float),
    ("ObjectInfo.ExperimentalDescription.Stage Y_um", "stage_y", "um", float),
    ("ObjectInfo.ExperimentalDescription.Stage Z_um", "stage_z", "um", float),
    ("ObjectInfo.ExperimentalDescription.Stage A_deg", "stage_alpha", "deg", float),
    ("ObjectInfo.ExperimentalDescription.Stage B_deg", "stage_beta", "deg", float),
    ("ObjectInfo.ExperimentalDescription.Mode", "mode", None, str.strip),
    ("ObjectInfo.ExperimentalDescription.Mode", "acquisition_mode", None, acquisition_mode),
    ("ObjectInfo.ExperimentalDescription.Extraction voltage_V", "extraction_voltage", "V", float),
    ("ObjectInfo.ExperimentalDescription.User", "operator", None, None),
    ("ObjectInfo.AcquireInfo.DwellTimePath", "dwell_time", "s", float),
    ("ObjectInfo.AcquireInfo.CameraNamePath", "detector", None, None),
    ("ObjectInfo.ExperimentalDescription.Filter selected dispersion_eV/Channel", "energy_dispersion", "eV", float),
)


def _companions(path: Path) -> tuple[Path | None, list[Path]]:
    """(the .emi, the .ser files of its series) next to `path`."""
    if path.suffix.lower() == ".emi":
        stem = path.stem
        sers = sorted(p for p in path.parent.glob(f"{glob.escape(stem)}_*.ser") if _SERIES.match(p.name))
        return path, sers
    match = _SERIES.match(path.name)
    if match:
        for suffix in (".emi", ".EMI"):
            emi = path.with_name(match.group("stem") + suffix)
            if emi.exists():
                return emi, [path]
    return None, [path]


def _emi_only(path: Path) -> Extraction:
    return Extraction(
        path=str(path), format="FEI TIA EMI", extractor=NAME,
        metadata={"signal_type": "other"},
        warnings=(f"no data file {path.stem}_1.ser next to this .emi; only the description is kept",),
    )


def _misnamed(path: Path) -> list[dict]:
    """Read a SER file whose name does not end in .ser through a correctly named link, eagerly."""
    import tempfile

    from rsciio.tia import file_reader

    with tempfile.TemporaryDirectory() as folder:
        link = Path(folder) / "data_1.ser"
        link.symlink_to(path.resolve())
        return file_reader(str(link))


def extract(path) -> Extraction:
    """Read a .ser (with its .emi when present) or an .emi (with its first .ser)."""
    from rsciio.tia import file_reader

    path = Path(path)
    if path.suffix.lower() not in EXTENSIONS:
        entry = _misnamed(path)[0]
        metadata, loader, size = describe(entry)
        return Extraction(path=str(path), format="FEI TIA SER", extractor=NAME, metadata=metadata,
                          original_metadata=jsonable(entry["original_metadata"]),
                          warnings=("no .emi for a file not named .ser: microscope conditions are unknown",),
                          loader=loader, data_bytes=size)
    emi, sers = _companions(path)
    if path.suffix.lower() == ".emi" and not sers:
        return _emi_only(path)
    warnings = []
    if emi is None:
        warnings.append("no .emi next to this .ser: microscope conditions are unknown")
        entries = file_reader(str(path), lazy=lazy_for(path))
    else:
        entries = file_reader(str(emi), lazy=any(lazy_for(ser) for ser in sers))
    wanted = sers[0].name
    entry = next((e for e in entries if lookup(e["metadata"], "General.original_filename") == wanted), entries[0])
    original = entry["original_metadata"]
    metadata, mapping_warnings, loader, size = mapped(entry, MAPPING)
    acquired = lookup(original, "ObjectInfo.AcquireDate")
    if acquired:
        found = iso_time(str(acquired), "", _DATE_FORMATS)
        if found:
            metadata["acquisition_time"] = found
    return Extraction(
        path=str(path), format="FEI TIA SER" if path.suffix.lower() == ".ser" else "FEI TIA EMI", extractor=NAME,
        metadata=metadata, original_metadata=jsonable(original), warnings=tuple(warnings + mapping_warnings),
        loader=loader, data_bytes=size,
    )
