"""Gatan DigitalMicrograph .dm3/.dm4: images, image stacks (StackBuilder), spectra, spectrum images,
diffraction patterns and RGB images, one signal per image of the file, with the ImageTags tree
(Microscope Info, Session Info, DataBar, DigiScan, Acquisition, EELS/EDS, EELS Spectrometer), read
with rsciio.digitalmicrograph. Format described by the RosettaSciIO docs and Chris Boothroyd's DM3 notes.
"""
import re

from records.extractors.base import iso_time, lookup, nonzero
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "dm"
EXTENSIONS = (".dm3", ".dm4")
_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S")
_VENDORS = ("FEI", "Thermo", "JEOL", "Hitachi", "Zeiss", "Nion", "Titan", "Tecnai", "Talos", "Krios")


def _vendor(model):
    for name in _VENDORS:
        if name.lower() in str(model).lower():
            return {"Titan": "FEI", "Tecnai": "FEI", "Talos": "FEI", "Krios": "FEI"}.get(name, name)
    return None


def _binning(value):
    """(1, 26) -> "1x26"; a square binning -> its number."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return int(value[0]) if value[0] == value[1] else f"{int(value[0])}x{int(value[1])}"
    return int(value)


def _millimetres(label):
    """An aperture label such as "5 mm" -> 5.0."""
    match = re.search(r"([-+]?\d+(?:\.\d+)?)\s*mm", str(label))
    return float(match.group(1)) if match else None


MAPPING = (
    ("Microscope Info.Voltage", "acceleration_voltage", "V", nonzero),
    ("Microscope Info.Indicated Magnification", "magnification", None, nonzero),
    ("Session Info.Microscope", "model", None, None),
    ("Microscope Info.Name", "model", None, None),
    ("Session Info.Microscope", "vendor", None, _vendor),
    ("Microscope Info.Name", "vendor", None, _vendor),
    ("Microscope Info.Probe Current (nA)", "beam_current", "nA", nonzero),
    ("Microscope Info.Emission Current (µA)", "emission_current", "uA", nonzero),
    ("Microscope Info.STEM Camera Length", "camera_length", "mm", nonzero),
    ("Microscope Info.Field of View (µm)", "horizontal_field_width", "um", nonzero),
    ("Microscope Info.Stage Position.Stage X", "stage_x", "um", None),
    ("Microscope Info.Stage Position.Stage Y", "stage_y", "um", None),
    ("Microscope Info.Stage Position.Stage Z", "stage_z", "um", None),
    ("Microscope Info.Stage Position.Stage Alpha", "stage_alpha", "deg", None),
    ("Microscope Info.Stage Position.Stage Beta", "stage_beta", "deg", None),
    ("Microscope Info.Illumination Mode", "mode", None, None),
    ("DigiScan.Sample Time", "dwell_time", "us", nonzero),
    ("Acquisition.Parameters.High Level.Exposure (s)", "exposure_time", "s", None),
    ("EELS.Acquisition.Exposure (s)", "exposure_time", "s", None),
    ("Acquisition.Parameters.High Level.Binning", "binning", None, _binning),
    ("EELS.Acquisition.Number of frames", "frame_count", None, int),
    ("Acquisition.Parameters.High Level.Processing", "readout", None, None),
    ("EELS.Experimental Conditions.Collection semi-angle (mrad)", "collection_angle", "mrad", nonzero),
    ("EELS.Experimental Conditions.Convergence semi-angle (mrad)", "convergence_angle", "mrad", nonzero),
    ("EELS Spectrometer.Dispersion (eV/ch)", "energy_dispersion", "eV", None),
    ("EELS Spectrometer.Slit width (eV)", "slit_width", "eV", None),
    ("EELS Spectrometer.Energy loss (eV)", "energy_loss", "eV", None),
    ("EELS Spectrometer.Aperture label", "spectrometer_aperture", "mm", _millimetres),
    ("EELS Spectrometer.Instrument name", "energy_filter", None, None),
    ("EDS.Live time", "live_time", "s", None),
    ("EDS.Real time", "real_time", "s", None),
    ("EDS.Acquisition.Dispersion (eV)", "energy_dispersion", "eV", None),
    ("EDS.Detector Info.Azimuthal angle", "detector_azimuth", "deg", None),
    ("EDS.Detector Info.Elevation angle", "detector_elevation", "deg", None),
    ("EDS.Detector Info.Detector type", "detector_type", None, None),
    ("EDS.Detector Info.Window type", "detector_window", None, None),
    ("Session Info.Detector", "detector", None, None),
    ("DataBar.Device Name", "detector", None, None),
    ("Acquisition.Device.Name", "detector", None, None),
    ("Session Info.Operator", "operator", None, None),
    ("Session Info.Specimen", "specimen", None, None),
    ("GMS Version.Created", "software_version", None, lambda v: f"GMS {v}"),
)


def _image_tags(original: dict) -> dict:
    """ImageTags of the signal's image: the last entry of ImageList (the first is often a thumbnail)."""
    images = original.get("ImageList") or {}
    for key in reversed(list(images)):
        tags = images[key].get("ImageTags") if isinstance(images[key], dict) else None
        if tags:
            return tags
    return {}


def _acquisition_time(tags: dict) -> str | None:
    pairs = (
        ("DataBar.Acquisition Date", "DataBar.Acquisition Time"),
        ("EDS.Acquisition.Date", "EDS.Acquisition.Start time"),
        ("EELS.Acquisition.Date", "EELS.Acquisition.Start time"),
    )
    for date_path, time_path in pairs:
        date, time = lookup(tags, date_path), lookup(tags, time_path)
        if isinstance(date, str) and date:
            found = iso_time(date, time if isinstance(time, str) else "", _DATE_FORMATS)
            if found:
                return found
    return None


def _acquisition_mode(tags: dict) -> str | None:
    """STEM when the illumination scans; else EFTEM, diffraction or TEM from the imaging mode."""
    illumination = str(lookup(tags, "Microscope Info.Illumination Mode") or "").upper()
    imaging = str(lookup(tags, "Microscope Info.Imaging Mode") or "").upper()
    if "STEM" in illumination:
        return "STEM"
    for word, mode in (("EFTEM", "EFTEM"), ("DIFFRACTION", "diffraction"), ("TEM", "TEM")):
        if word in imaging or word == illumination:
            return mode
    return None


def _extra(entry: dict) -> dict:
    """What only code finds: the title rsciio gave the signal and the acquisition time from DataBar/EDS/EELS."""
    tags = _image_tags(entry["original_metadata"])
    found = {}
    mode = _acquisition_mode(tags)
    if mode:
        found["acquisition_mode"] = mode
    title = lookup(entry["metadata"], "General.title")
    if title:
        found["title"] = str(title)
    acquired = _acquisition_time(tags)
    if acquired:
        found["acquisition_time"] = acquired
    return found


def extract(path):
    """Read every image of a DM3/DM4 file: tags and calibrated axes; pixels are read only by a loader."""
    from rsciio.digitalmicrograph import file_reader

    try:
        entries = file_reader(str(path), lazy=lazy_for(path))
    except ValueError as exc:  # RosettaSciIO reads colour (RGBA) images only eagerly
        if "RGBA" not in str(exc):
            raise
        entries = file_reader(str(path), lazy=False)
    with open(path, "rb") as handle:
        version = f"DigitalMicrograph {int.from_bytes(handle.read(4), 'big')}"
    return extraction(
        path, version, NAME, entries, MAPPING, tree=lambda e: _image_tags(e["original_metadata"]),
        hint=lambda e: str(lookup(_image_tags(e["original_metadata"]), "Meta Data.Format") or ""), extra=_extra,
    )
