"""Where to mark the elements a spectrum's metadata names: X-ray emission lines (Ka, La, Ma) for X-ray
spectra, absorption edges (K, L3, M5) for electron energy-loss spectra, from the xraydb database."""
import os
from functools import lru_cache

EELS_TERMS = ("collection_angle", "slit_width", "energy_loss", "spectrometer_aperture")
X_RAY_LINES = ("Ka1", "La1", "Ma")
EDGES = ("K", "L3", "M5")
_PER_EV = {"eV": 1.0, "keV": 1000.0}


@lru_cache(maxsize=2)
def _database(pid: int):
    """This process's own connection to xraydb's SQLite file.

    Readers are forked from a process that may have used xraydb already; a SQLite connection must
    not cross a fork (the child gets "disk I/O error"), so each process opens its own, keyed by pid.
    """
    from xraydb import XrayDB

    return XrayDB()


@lru_cache(maxsize=256)  # each look-up is a database query (about 1 ms); a reader serves many files
def _energies(element: str, eels: bool) -> tuple[tuple[str, float], ...]:
    """(label, energy in eV) of an element's usual lines or edges; () for a symbol xraydb does not know."""
    database = _database(os.getpid())
    try:
        found = database.xray_edges(element) if eels else database.xray_lines(element)
    except (ValueError, KeyError, TypeError):
        return ()
    names = EDGES if eels else X_RAY_LINES
    return tuple((f"{element} {name.rstrip('1')}", float(found[name].energy)) for name in names if name in found)


def marks(metadata: dict, axis: dict, low: float, high: float) -> list[tuple[str, float]]:
    """(label, position in the axis unit) of each named element's lines inside [low, high]."""
    per_ev = _PER_EV.get(str(axis.get("unit") or ""))
    elements = metadata.get("elements") or []
    if per_ev is None or not isinstance(elements, list):
        return []
    eels = any(term in metadata for term in EELS_TERMS)
    found = []
    for element in elements[:20]:
        for label, energy in _energies(str(element).strip().capitalize(), eels):
            position = energy / per_ev
            if low <= position <= high:
                found.append((label, position))
    return found
