"""Gatan DigitalMicrograph .dm3/.dm4: image, spectrum, spectrum image and diffraction data with the
ImageTags tree (Microscope Info, Session Info, DataBar, DigiScan, EELS/EDS acquisition), read with
rsciio.digitalmicrograph. Format described by the RosettaSciIO docs and Chris Boothroyd's DM3 notes.
"""
from records.extractors.base import Extraction, apply_mapping, iso_time, jsonable, lookup
from records.extractors.rsciio_result import describe, lazy_for

NAME = "dm"
EXTENSIONS = (".dm3", ".dm4")
_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S")
_VENDORS = ("FEI", "Thermo", "JEOL", "Hitachi", "Zeiss", "Nion", "Titan", "Tecnai", "Talos", "Krios")


def _nonzero(value):
    return float(value) if float(value) != 0.0 else None


def _vendor(model):
    for name in _VENDORS:
        if name.lower() in str(model).lower():
            return {"Titan": "FEI", "Tecnai": "FEI", "Talos": "FEI", "Krios": "FEI"}.get(name, name)
    return None


MAPPING = (
    ("Microscope Info.Voltage", "acceleration_voltage", "V", _nonzero),
    ("Microscope Info.Indicated Magnification", "magnification", None, _nonzero),
    ("Session Info.Microscope", "model", None, None),
    ("Microscope Info.Name", "model", None, None),
    ("Session Info.Microscope", "vendor", None, _vendor),
    ("Microscope Info.Name", "vendor", None, _vendor),
    ("Microscope Info.Probe Current (nA)", "beam_current", "nA", _nonzero),
    ("Microscope Info.Emission Current (µA)", "emission_current", "uA", _nonzero),
    ("Microscope Info.STEM Camera Length", "camera_length", "mm", _nonzero),
    ("Microscope Info.Stage Position.Stage X", "stage_x", "um", None),
    ("Microscope Info.Stage Position.Stage Y", "stage_y", "um", None),
    ("Microscope Info.Stage Position.Stage Z", "stage_z", "um", None),
    ("Microscope Info.Stage Position.Stage Alpha", "stage_alpha", "deg", None),
    ("Microscope Info.Stage Position.Stage Beta", "stage_beta", "deg", None),
    ("Microscope Info.Illumination Mode", "mode", None, None),
    ("DigiScan.Sample Time", "dwell_time", "us", _nonzero),
    ("Acquisition.Parameters.High Level.Exposure (s)", "exposure_time", "s", None),
    ("EELS.Acquisition.Exposure (s)", "exposure_time", "s", None),
    ("EDS.Live time", "live_time", "s", None),
    ("EDS.Real time", "real_time", "s", None),
    ("EDS.Acquisition.Dispersion (eV)", "energy_dispersion", "eV", None),
    ("Session Info.Detector", "detector", None, None),
    ("DataBar.Device Name", "detector", None, None),
    ("Acquisition.Device.Name", "detector", None, None),
    ("Session Info.Operator", "operator", None, None),
    ("Session Info.Specimen", "specimen", None, None),
)


def _image_tags(original: dict) -> dict:
    """ImageTags of the main image: the last entry of ImageList (the first is often a thumbnail)."""
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


def _hint(tags: dict) -> str:
    fmt = str(lookup(tags, "Meta Data.Format") or "")
    return fmt


def extract(path) -> Extraction:
    """Read a DM3/DM4 file's tags and calibrated axes; the pixel data is read only by `loader`."""
    from rsciio.digitalmicrograph import file_reader

    entries = file_reader(str(path), lazy=lazy_for(path))
    entry = max(entries, key=lambda e: e["data"].size)
    tags = _image_tags(entry["original_metadata"])
    metadata, warnings = apply_mapping(tags, MAPPING)
    described, loader, size = describe(entry, _hint(tags))
    metadata.update(described)
    title = lookup(entry["metadata"], "General.title")
    if title:
        metadata["title"] = title
    acquired = _acquisition_time(tags)
    if acquired:
        metadata["acquisition_time"] = acquired
    with open(path, "rb") as handle:
        version = f"DigitalMicrograph {int.from_bytes(handle.read(4), 'big')}"
    return Extraction(
        path=str(path), format=version, extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"ImageTags": tags}), warnings=tuple(warnings),
        loader=loader, data_bytes=size,
    )
