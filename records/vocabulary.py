"""The canonical metadata vocabulary: every term's display unit, EM Glossary IRI and meaning, and the
QUDT IRI of every display unit.

Extractors emit only these keys (the contract test checks it); `records.units.quantity` converts a
vendor value into the term's display unit; the record XML names each parameter's EM Glossary term
(`term` attribute) and QUDT unit (`unitIri` attribute). The EM Glossary identifiers are those of
EM Glossary v2.0.0 (https://purls.helmholtz-metadaten.de/emg/v2.0.0/); a term is linked only where
the glossary defines the same concept, never a near relation.
"""
from typing import NamedTuple

EMG_BASE = "https://purls.helmholtz-metadaten.de/emg/"
QUDT_BASE = "http://qudt.org/vocab/unit/"

SIGNAL_TYPES = frozenset(
    {"image", "spectrum", "spectrum_image", "diffraction", "stack", "4d", "point_cloud", "text", "other"}
)
# Acquisition modes a file can be recognised as (the `acquisition_mode` term).
ACQUISITION_MODES = ("TEM", "STEM", "SEM", "FIB", "HIM", "diffraction", "EFTEM", "ToF-SIMS")


class Term(NamedTuple):
    """One canonical key: the unit its quantities are shown in (None: text, number or list), its EM
    Glossary v2.0.0 identifier where the glossary has the concept, and what it means."""

    unit: str | None
    emg: str | None
    meaning: str


TERMS = {
    # instrument and people
    "vendor": Term(None, None, "instrument maker (FEI, Zeiss, JEOL, Bruker, ...)"),
    "model": Term(None, None, "instrument model as the file names it"),
    "serial_number": Term(None, None, "serial number of the instrument or detector"),
    "software_version": Term(None, None, "name and version of the acquisition software"),
    "firmware_version": Term(None, None, "firmware version of the instrument or detector"),
    "operator": Term(None, None, "person logged in at the instrument"),
    "specimen": Term(None, "EMG_00000046", "specimen name as typed at the instrument"),
    "title": Term(None, None, "title of the signal as the file names it"),
    "acquisition_time": Term(None, None, "when the data was acquired, ISO 8601, instrument local time"),
    # beam
    "acquisition_mode": Term(None, None, "TEM, STEM, SEM, FIB, HIM, diffraction, EFTEM or ToF-SIMS"),
    "mode": Term(None, None, "the vendor's own words for the illumination, imaging or vacuum mode"),
    "beam_species": Term(None, None, "particles of the beam: electron, helium, neon, gallium, xenon ..."),
    "acceleration_voltage": Term("kV", "EMG_00000004", "high tension: potential between anode and cathode"),
    "extraction_voltage": Term("kV", "EMG_00000026", "voltage drawing particles from the source"),
    "beam_current": Term("nA", "EMG_00000006", "current flowing along the beam path"),
    "probe_current": Term("nA", "EMG_00000041", "current arriving at the specimen"),
    "emission_current": Term("uA", "EMG_00000025", "current released from the source"),
    "spot_size": Term(None, None, "spot size index"),
    "convergence_angle": Term("mrad", "EMG_00000010", "convergence semi-angle of the beam"),
    "collection_angle": Term("mrad", "EMG_00000044", "collection semi-angle of a spectrometer or detector"),
    "condenser_aperture": Term("um", None, "diameter of the condenser aperture in use"),
    "objective_aperture": Term("um", None, "diameter of the objective aperture in use"),
    "selected_area_aperture": Term("um", None, "diameter of the selected-area aperture in use"),
    "magnification": Term(None, None, "indicated magnification (SEM: xT/SmartSEM data-bar convention)"),
    "camera_length": Term("mm", "EMG_00000008", "distance from specimen to detector plane"),
    "working_distance": Term("mm", "EMG_00000050", "SEM/FIB working distance"),
    "horizontal_field_width": Term("um", None, "width of the scanned or imaged field"),
    "pixel_size_x": Term("nm", None, "calibrated width of one pixel"),
    "pixel_size_y": Term("nm", None, "calibrated height of one pixel"),
    "dwell_time": Term("us", "EMG_00000015", "time the beam stays at one scan position"),
    "frame_time": Term("s", "EMG_00000034", "time to scan one whole frame"),
    # chamber and stage
    "chamber_pressure": Term("Pa", None, "specimen chamber pressure"),
    "vacuum_mode": Term(None, None, "high vacuum, low vacuum, ESEM ..."),
    "stage_x": Term("um", None, "stage position X"),
    "stage_y": Term("um", None, "stage position Y"),
    "stage_z": Term("um", None, "stage position Z"),
    "stage_alpha": Term("deg", None, "stage tilt (alpha)"),
    "stage_beta": Term("deg", None, "second tilt of a double-tilt holder (beta)"),
    "stage_rotation": Term("deg", None, "stage rotation"),
    # detectors and cameras
    "detector": Term(None, None, "detector or camera name"),
    "detector_type": Term(None, None, "kind of detector: SDD, Si(Li), HAADF, CCD, CMOS, hybrid pixel ..."),
    "detector_window": Term(None, None, "EDS detector window type"),
    "detector_elevation": Term("deg", None, "EDS detector elevation angle"),
    "detector_azimuth": Term("deg", None, "EDS detector azimuth angle"),
    "takeoff_angle": Term("deg", None, "X-ray take-off angle"),
    "detector_inner_angle": Term("mrad", "EMG_00000044", "inner collection semi-angle of a STEM detector"),
    "detector_outer_angle": Term("mrad", "EMG_00000044", "outer collection semi-angle of a STEM detector"),
    "exposure_time": Term("s", "EMG_00000055", "camera or detector exposure (time during which data is acquired)"),
    "frame_count": Term(None, None, "frames summed or recorded"),
    "binning": Term(None, None, "camera binning, e.g. 2 or 2x1"),
    "readout": Term(None, None, "camera readout mode (counting, linear, rolling shutter ...)"),
    "live_time": Term("s", None, "spectrometer live time"),
    "real_time": Term("s", None, "spectrometer real (clock) time"),
    "dead_time": Term("%", "EMG_00000054", "share of the real time the detector could not register events"),
    # spectrometers and energy filters
    "energy_dispersion": Term("eV", None, "energy per spectrometer channel"),
    "energy_offset": Term("eV", None, "energy of the first channel"),
    "energy_resolution": Term("eV", None, "energy resolution of the spectrometer (e.g. FWHM at Mn Ka)"),
    "slit_width": Term("eV", None, "energy-selecting slit width of an energy filter"),
    "energy_loss": Term("eV", None, "energy loss selected by an energy filter (EFTEM)"),
    "energy_filter": Term(None, None, "energy filter in use and its state"),
    "spectrometer_aperture": Term("mm", None, "entrance aperture of the spectrometer"),
    "elements": Term(None, None, "chemical elements the acquisition names (list of symbols)"),
    "polarity": Term(None, None, "ion polarity of a mass spectrometer: positive or negative"),
    # data
    "signal_type": Term(None, None, "image, spectrum, spectrum_image, diffraction, stack, 4d, point_cloud, text, other"),
    "dimensions": Term(None, None, "axes in data order (navigation first): name, size, scale, offset, unit, navigate"),
    "data_type": Term(None, None, "numpy dtype of the data"),
    "n_points": Term(None, None, "channels of a spectrum, points of a cloud"),
    "signals": Term(None, None, "the further signals of a file holding several (see docs/metadata.md)"),
    "encoding": Term(None, None, "text encoding (text) or data encoding (PCD)"),
    "n_lines": Term(None, None, "lines of a text file"),
    "fields": Term(None, None, "fields of a point cloud"),
    "pages": Term(None, None, "pages of a TIFF"),
    "size": Term(None, None, "file size in bytes"),
    "mime_type": Term(None, None, "MIME type guessed from the name, for files no reader knows"),
    "modified_time": Term(None, None, "file system modification time, UTC"),
    "companion": Term(None, None, "name of the partner file read with this one (.hdr, .emi, .mdoc ...)"),
}

# Display units and their QUDT unit IRIs.
QUDT_UNITS = {
    "kV": "KiloV", "nA": "NanoA", "uA": "MicroA", "pA": "PicoA", "mrad": "MilliRAD", "deg": "DEG",
    "nm": "NanoM", "um": "MicroM", "mm": "MilliM", "m": "M", "pm": "PicoM", "us": "MicroSEC", "ms": "MilliSEC",
    "ns": "NanoSEC", "s": "SEC", "eV": "EV", "keV": "KiloEV", "Pa": "PA", "%": "PERCENT", "1/nm": "PER-NanoM",
    "mA": "MilliA", "A": "A", "rad": "RAD",
}


def term_iri(key: str) -> str | None:
    """The EM Glossary IRI of a canonical key, or None where the glossary has no such concept.

    >>> term_iri("acceleration_voltage")
    'https://purls.helmholtz-metadaten.de/emg/EMG_00000004'
    """
    term = TERMS.get(key)
    return EMG_BASE + term.emg if term and term.emg else None


def unit_iri(unit: str) -> str | None:
    """The QUDT IRI of a display unit, or None for units outside the vocabulary.

    >>> unit_iri("kV")
    'http://qudt.org/vocab/unit/KiloV'
    """
    code = QUDT_UNITS.get(unit)
    return QUDT_BASE + code if code else None
