"""Electron Microscopy Datasets (HDF5): Thermo Fisher Velox .emd (images, image stacks, spectrum images
and spectra, each with its JSON metadata: Optics, Stage, Detectors, Instrument, Acquisition) and NCEM
.emd (Berkeley EMD 0.2+, py4DSTEM), one signal per dataset, read with rsciio.emd. Formats described
by the RosettaSciIO EMD docs and the EMD specification (emdatasets.com).
"""
from records.extractors.base import lookup, nonzero
from records.extractors.rsciio_result import extraction

NAME = "emd"
EXTENSIONS = (".emd",)


def _vendor(text):
    return "FEI" if "FEI" in str(text).upper() else str(text)


def _yes(value):
    return "on" if str(value).lower() == "true" else "off"


MAPPING = (
    ("Optics.AccelerationVoltage", "acceleration_voltage", "V", nonzero),
    ("Optics.ExtractorVoltage", "extraction_voltage", "V", nonzero),
    ("Optics.SpotIndex", "spot_size", None, float),
    ("Optics.BeamConvergence", "convergence_angle", "rad", nonzero),
    ("Optics.NominalMagnification", "magnification", None, nonzero),
    ("Optics.CameraLength", "camera_length", "m", nonzero),
    ("Optics.LastMeasuredScreenCurrent", "beam_current", "A", nonzero),
    ("Optics.IlluminationMode", "mode", None, None),
    ("Optics.EFTEMOn", "energy_filter", None, _yes),
    ("Optics.Apertures.C2.Diameter", "condenser_aperture", "m", nonzero),
    ("Optics.Apertures.OBJ.Diameter", "objective_aperture", "m", nonzero),
    ("Optics.Apertures.SA.Diameter", "selected_area_aperture", "m", nonzero),
    ("Stage.Position.x", "stage_x", "m", float),
    ("Stage.Position.y", "stage_y", "m", float),
    ("Stage.Position.z", "stage_z", "m", float),
    ("Stage.AlphaTilt", "stage_alpha", "rad", float),
    ("Stage.BetaTilt", "stage_beta", "rad", float),
    ("Instrument.Manufacturer", "vendor", None, _vendor),
    ("Instrument.InstrumentModel", "model", None, None),
    ("Instrument.InstrumentId", "serial_number", None, None),
    ("Instrument.ControlSoftwareVersion", "software_version", None, None),
    ("Vacuum.VacuumMode", "vacuum_mode", None, None),
    ("Scan.DwellTime", "dwell_time", "s", nonzero),
    ("Scan.FrameTime", "frame_time", "s", nonzero),
    ("UsedDetector.DetectorName", "detector", None, None),
    ("UsedDetector.ExposureTime", "exposure_time", "s", nonzero),
    ("UsedDetector.Binning.width", "binning", None, int),
    ("UsedDetector.CollectionAngleRange.begin", "detector_inner_angle", "rad", nonzero),
    ("UsedDetector.CollectionAngleRange.end", "detector_outer_angle", "rad", nonzero),
    ("UsedDetector.ElevationAngle", "detector_elevation", "rad", float),
    ("UsedDetector.AzimuthAngle", "detector_azimuth", "rad", float),
    ("Sample.SampleDescription", "specimen", None, None),
)
_MODES = {"ImagingDetector": "TEM", "ScanningDetector": "STEM", "AnalyticalDetector": "STEM"}


def _apertures(optics: dict) -> dict:
    """Velox lists apertures as Aperture-0 ... with a Name (C1, C2, OBJ, SA); key them by that name."""
    found = {}
    for aperture in (optics.get("Apertures") or {}).values():
        if isinstance(aperture, dict) and aperture.get("Name"):
            found[str(aperture["Name"])] = aperture
    return found


def _tree(entry: dict) -> dict:
    """The Velox tree with the detector that recorded this signal as "UsedDetector" and apertures by name."""
    original = dict(entry["original_metadata"])
    detectors = original.get("Detectors") or {}
    index = lookup(original, "BinaryResult.DetectorIndex")
    used = detectors.get(f"Detector-{index}") if index is not None else None
    if used is None:  # spectrum images name the detector, not its index
        name = lookup(original, "BinaryResult.Detector")
        used = next((d for d in detectors.values() if isinstance(d, dict) and d.get("DetectorName") == name), None)
    if used:
        original["UsedDetector"] = used
    if isinstance(original.get("Optics"), dict):
        original["Optics"] = {**original["Optics"], "Apertures": _apertures(original["Optics"])}
    return original


def _extra(entry: dict) -> dict:
    tree = _tree(entry)
    mode = _MODES.get(str(lookup(tree, "UsedDetector.DetectorType") or ""))
    return {"acquisition_mode": mode} if mode else {}


def extract(path):
    """Read every dataset of an EMD file with its metadata; data is read only by the loaders."""
    from rsciio.emd import file_reader

    entries = file_reader(str(path), lazy=True)
    velox = any("Optics" in (e.get("original_metadata") or {}) for e in entries)
    return extraction(path, "Velox EMD" if velox else "EMD", NAME, entries, MAPPING, tree=_tree, extra=_extra)
