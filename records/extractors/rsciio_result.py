"""Turning RosettaSciIO signal dicts (read lazily) into canonical metadata, dimensions, data loaders and,
for files holding several signals, one Extraction per signal.

Every RosettaSciIO reader also fills HyperSpy's metadata tree ("Acquisition_instrument.TEM.beam_energy"
in keV, "...Detector.EDS.live_time" in s, "Sample.elements" ...; described in the HyperSpy user guide,
"Metadata structure"). `HYPERSPY_MAPPING` reads that tree, so any format RosettaSciIO reads gets the
terms its reader found; a module's own MAPPING on the vendor tree comes first.
"""
import os
from dataclasses import replace

from records.extractors.axes import arrange, classify, pixel_sizes
from records.extractors.base import Data, Extraction, apply_mapping, array_bytes, dimensions, iso_time, jsonable, lookup

LAZY_ABOVE_BYTES = 32 * 1024**2  # smaller files are read at once: cheaper than setting up a lazy (dask) array
DATA_BESIDE = (".raw", ".RAW")
_MICROSCOPES = ("TEM", "SEM", "FIB")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d")
# HyperSpy signal types -> ours and the acquisition mode they imply
_HINTS = {"EELS": "spectrum", "EDS_TEM": "spectrum", "EDS_SEM": "spectrum", "electron_diffraction": "diffraction",
          "diffraction": "diffraction"}


def _rows(microscope: str) -> tuple:
    prefix = f"Acquisition_instrument.{microscope}."
    return (
        (prefix + "beam_energy", "acceleration_voltage", "kV", float),
        (prefix + "beam_current", "beam_current", "nA", float),
        (prefix + "probe_current", "probe_current", "nA", float),
        (prefix + "magnification", "magnification", None, float),
        (prefix + "camera_length", "camera_length", "mm", float),
        (prefix + "convergence_angle", "convergence_angle", "mrad", float),
        (prefix + "working_distance", "working_distance", "mm", float),
        (prefix + "dwell_time", "dwell_time", "s", float),
        (prefix + "microscope", "model", None, str),
        (prefix + "Stage.x", "stage_x", "mm", float),
        (prefix + "Stage.y", "stage_y", "mm", float),
        (prefix + "Stage.z", "stage_z", "mm", float),
        (prefix + "Stage.tilt_alpha", "stage_alpha", "deg", float),
        (prefix + "Stage.tilt", "stage_alpha", "deg", float),
        (prefix + "Stage.tilt_beta", "stage_beta", "deg", float),
        (prefix + "Stage.rotation", "stage_rotation", "deg", float),
        (prefix + "Detector.EDS.live_time", "live_time", "s", float),
        (prefix + "Detector.EDS.real_time", "real_time", "s", float),
        (prefix + "Detector.EDS.elevation_angle", "detector_elevation", "deg", float),
        (prefix + "Detector.EDS.azimuth_angle", "detector_azimuth", "deg", float),
        (prefix + "Detector.EDS.energy_resolution_MnKa", "energy_resolution", "eV", float),
        (prefix + "Detector.EDS.detector_type", "detector", None, str),
        (prefix + "Detector.EELS.collection_angle", "collection_angle", "mrad", float),
        (prefix + "Detector.EELS.aperture_size", "spectrometer_aperture", "mm", float),
        (prefix + "Detector.EELS.dispersion", "energy_dispersion", "eV", float),
        (prefix + "Detector.detector_type", "detector", None, str),
        (prefix + "Detector.Camera.exposure", "exposure_time", "s", float),
        (prefix + "Camera.exposure", "exposure_time", "s", float),
    )


HYPERSPY_MAPPING = tuple(row for microscope in _MICROSCOPES for row in _rows(microscope)) + (
    ("Acquisition_instrument.dwell_time", "dwell_time", "s", float),
    ("Acquisition_instrument.Detector.exposure_per_frame", "exposure_time", "s", float),
    ("Acquisition_instrument.Detector.frames", "frame_count", None, int),
    ("Acquisition_instrument.Detector.binning", "binning", None, lambda v: "x".join(str(int(b)) for b in v)
     if isinstance(v, (list, tuple)) else str(v)),
    ("Acquisition_instrument.Detector.detector_type", "detector", None, str),
    ("Sample.elements", "elements", None, lambda v: [str(e) for e in v] or None),
    ("General.title", "title", None, str),
)


def lazy_for(path) -> bool:
    """Whether rsciio should read `path` lazily, leaving the data on disk until a preview asks for it; a
    header (Ripple .rpl, EMPAD .xml) is judged by the size of the .raw data file of the same name beside it."""
    sizes = [os.path.getsize(path)]
    for suffix in DATA_BESIDE:
        data = os.path.splitext(path)[0] + suffix
        if os.path.isfile(data):
            sizes.append(os.path.getsize(data))
    return max(sizes) > LAZY_ABOVE_BYTES


def describe(entry: dict, hint: str = "") -> tuple[dict, object, int]:
    """(canonical metadata, zero-argument loader, decoded bytes) for an rsciio signal dict."""
    data = entry["data"]
    axes = dimensions(sorted(entry["axes"], key=lambda a: a.get("index_in_array", 0)))
    colour = data.dtype.names is not None
    signal_type = classify(axes, hint or _HINTS.get(str(lookup(entry.get("metadata") or {}, "Signal.signal_type")), ""))
    if colour and signal_type in ("spectrum", "spectrum_image"):  # a line or lines of colours: a colour picture
        signal_type = "image" if len(axes) <= 2 else "stack"
    arranged, permutation = arrange(axes, signal_type)
    metadata = {
        "signal_type": signal_type,
        "dimensions": arranged,
        "data_type": str(data.dtype) if not colour else "rgba" if "A" in data.dtype.names else "rgb",
    }
    metadata.update(pixel_sizes(arranged, signal_type))

    def load() -> Data:
        """The data in navigation-first order; lazily read data stays lazy (dask), so a preview can reduce
        it chunk by chunk or pick the frames it shows without holding all of it."""
        import numpy as np

        array = data if hasattr(data, "compute") else np.asarray(data)
        if permutation != list(range(array.ndim)):
            array = array.transpose(permutation)
        return Data(array, tuple(arranged))

    return metadata, load, array_bytes(data.shape, data.dtype)


def mapped(entry: dict, mapping: tuple, hint: str = "", tree: dict | None = None) -> tuple[dict, list[str], object, int]:
    """(metadata, warnings, loader, decoded bytes): the MAPPING rows applied to the signal's vendor
    tree (or `tree`), then HyperSpy's tree for what they left, plus dimensions, signal type and pixel
    sizes from `describe`."""
    metadata, warnings = apply_mapping(entry["original_metadata"] if tree is None else tree, mapping)
    general, more = apply_mapping(entry.get("metadata") or {}, HYPERSPY_MAPPING)
    for key, value in general.items():
        metadata.setdefault(key, value)
    acquired = _hyperspy_time(entry.get("metadata") or {})
    if acquired:
        metadata.setdefault("acquisition_time", acquired)
    described, loader, size = describe(entry, hint)
    metadata.update(described)
    return metadata, warnings + more, loader, size


def _hyperspy_time(tree: dict) -> str | None:
    date, time = lookup(tree, "General.date"), lookup(tree, "General.time")
    if not date:
        return None
    time = str(time or "").split(".")[0]
    return iso_time(str(date), time, _DATE_FORMATS)


def extraction(path, fmt: str, name: str, entries: list, mapping: tuple, tree=None, hint="", extra=None,
               common: dict | None = None, warnings: tuple = ()) -> Extraction:
    """One Extraction for the signals of a file: the largest is the main one, the others (in file order)
    become its `signals`. Per entry, `tree(entry)` is the vendor tree MAPPING reads (default: its
    original_metadata), `hint` a string or `hint(entry)`, `extra(entry)` metadata only code can find;
    `common` is metadata every signal shares (vendor ...)."""
    if not entries:
        from records.errors import UnreadableFile

        raise UnreadableFile("the file holds no signal")
    described = []
    for entry in entries:
        vendor_tree = tree(entry) if tree else entry["original_metadata"]
        metadata, found, loader, size = mapped(entry, mapping, hint(entry) if callable(hint) else hint, vendor_tree)
        metadata = {**(common or {}), **metadata, **(extra(entry) if extra else {})}
        described.append(Extraction(
            path=str(path), format=fmt, extractor=name, metadata=metadata,
            original_metadata=jsonable(vendor_tree), warnings=tuple(found), loader=loader, data_bytes=size,
        ))
    main = max(range(len(entries)), key=lambda i: entries[i]["data"].size)
    first = described[main]
    return replace(first, warnings=tuple(warnings) + first.warnings,
                   signals=tuple(e for i, e in enumerate(described) if i != main))
