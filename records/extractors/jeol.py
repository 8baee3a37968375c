"""JEOL Analysis Station files: .ASW sessions, .img images, .map maps, .pts EDS spectrum images and
.eds spectra, with the instrument header (accelerating voltage, magnification, working distance,
instrument name) and the EDS header (live and real time, dead time, calibration, selected elements,
detector angles), one signal each (a .pts also gives its SEM image), read with rsciio.jeol. Formats
described by the RosettaSciIO JEOL docs.
"""
from records.extractors.base import nonzero
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "jeol"
EXTENSIONS = (".asw", ".img", ".map", ".pts", ".eds")


def _elements(selected: dict):
    """The element symbols of the "Selected elements" footer ("Fe K", "S K" -> ["Fe", "S"])."""
    symbols = []
    for name in selected:
        symbol = str(name).split()[0]
        if symbol not in symbols:
            symbols.append(symbol)
    return symbols or None


MAPPING = (
    ("Instrument.AccV", "acceleration_voltage", "kV", nonzero),
    ("Instrument.Mag", "magnification", None, nonzero),
    ("Instrument.WorkD", "working_distance", "mm", nonzero),
    ("Instrument.Name", "model", None, str),
    ("Header.live time", "live_time", "s", float),
    ("Header.real time", "real_time", "s", float),
    ("Header.DeadTime", "dead_time", "%", float),
    ("Header.CoefA", "energy_dispersion", "keV", float),
    ("Header.CoefB", "energy_offset", "keV", float),
    ("Header.username", "operator", None, str),
    ("Footer.Selected elements", "elements", None, _elements),
)


def extract(path):
    """Read every signal of a JEOL file with its headers; data is read only by the loaders."""
    from rsciio.jeol import file_reader

    entries = file_reader(str(path), lazy=lazy_for(path))
    return extraction(path, f"JEOL {str(path).rsplit('.', 1)[-1].upper()}", NAME, entries, MAPPING,
                      common={"vendor": "JEOL"})
