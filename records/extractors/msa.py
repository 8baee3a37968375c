"""EMSA/MAS .msa spectra (ISO 22029:2003, 2012 and 2022; the EMSA/MAS 1.0 format): the keyword header
(#BEAMKV, #LIVETIME, #XPERCHAN, #DATE ...) and the Y or XY data, read by our own tolerant parser (unit
suffixes such as "-kV" with any spacing, ":" with or without a space, scientific notation, decimal
commas, TITLE and COMMENT over several lines, several columns). Format described by ISO 22029 and the
Microscopy Society of America's EMSA/MAS file format note.
"""
import itertools
import re

from records.errors import UnreadableFile
from records.extractors.base import Data, Extraction, apply_mapping, array_bytes, iso_time, jsonable
from records.units import clean_unit, quantity

NAME = "msa"
EXTENSIONS = (".msa", ".ems", ".mas", ".emsa")
MAX_HEADER_LINES = 2000
MAX_POINTS = 2_000_000  # a spectrum is thousands of channels; more is not a spectrum worth parsing
_DATE_FORMATS = ("%d-%b-%Y %H:%M", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                 "%Y-%m-%d", "%d-%m-%Y %H:%M")
# "#BEAMKV   -kV: 15.0", "#BEAMKV-KV :1.5E+01", "# TITLE : ..."
_KEYWORD = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:-\s*([^:]*?))?\s*:\s?(.*?)\s*$")
_MULTILINE = ("TITLE", "COMMENT")
_UNIT_SPELLINGS = {"KV": "kV", "KEV": "keV", "EV": "eV", "UA": "uA", "NA": "nA", "PA": "pA", "MS": "ms",
                   "S": "s", "SEC": "s", "DG": "deg", "DEG": "deg", "MR": "mrad", "MM": "mm", "NM": "nm",
                   "UM": "um", "CM": "cm", "CM2": "cm^2", "SR": "sr"}


def _number(text):
    """A number in any way the files write one: 15, 1.5E+01, 1.5 E+01, 1,5."""
    text = str(text).strip().split()[0] if " E" not in str(text).upper() else str(text).replace(" ", "")
    return float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)


MAPPING = (  # unit: the standard's unit for the keyword; a unit the file states wins
    ("BEAMKV", "acceleration_voltage", "kV", _number),
    ("BEAMKEV", "acceleration_voltage", "kV", _number),
    ("EMISSION", "emission_current", "uA", _number),
    ("PROBECUR", "probe_current", "nA", _number),
    ("BEAMCUR", "beam_current", "nA", _number),
    ("MAGCAM", "magnification", None, _number),
    ("LIVETIME", "live_time", "s", _number),
    ("REALTIME", "real_time", "s", _number),
    ("DWELLTIME", "dwell_time", "ms", _number),
    ("ELEVANGLE", "detector_elevation", "deg", _number),
    ("AZIMANGLE", "detector_azimuth", "deg", _number),
    ("TAKEOFFANGLE", "takeoff_angle", "deg", _number),
    ("CONVANGLE", "convergence_angle", "mrad", _number),
    ("COLLANGLE", "collection_angle", "mrad", _number),
    ("XTILTSTGE", "stage_alpha", "deg", _number),
    ("YTILTSTGE", "stage_beta", "deg", _number),
    ("XPOSITION", "stage_x", "mm", _number),
    ("YPOSITION", "stage_y", "mm", _number),
    ("ZPOSITION", "stage_z", "mm", _number),
    ("EDSDET", "detector_type", None, str),
    ("ELSDET", "detector_type", None, str),
    ("EDSDET", "detector", None, str),
    ("ELSDET", "detector", None, str),
    ("OWNER", "operator", None, str),
    ("TITLE", "title", None, str),
    ("OPERMODE", "mode", None, str),
    ("NPOINTS", "n_points", None, lambda v: int(_number(v))),
)


def _read(path):
    """({KEYWORD: value text}, {KEYWORD: unit the file states}, the data lines after #SPECTRUM)."""
    values: dict = {}
    units: dict = {}
    with open(path, encoding="latin-1", errors="replace") as handle:
        for number, line in enumerate(handle):
            if number >= MAX_HEADER_LINES:
                raise UnreadableFile(f"no #SPECTRUM line in the first {MAX_HEADER_LINES} lines")
            match = _KEYWORD.match(line.strip())
            if not match:
                continue
            keyword, unit, value = match.group(1).upper(), match.group(2), match.group(3)
            if keyword == "SPECTRUM":
                data = itertools.islice(handle, MAX_POINTS + 1)  # a line holds at least one point
                return values, units, [line for line in data if not line.startswith("#")]
            if keyword in _MULTILINE and keyword in values:
                values[keyword] = f"{values[keyword]} {value}".strip()
                continue
            values.setdefault(keyword, value)
            if unit and unit.strip():
                units[keyword] = _UNIT_SPELLINGS.get(unit.strip().upper(), unit.strip())
    raise UnreadableFile("no #SPECTRUM line: not an EMSA/MSA spectrum")


def _counts(lines, xy: bool):
    """The y values: every number of Y data, every second one of XY data (x, y pairs, one or more a line).
    numpy converts the numbers; `_number` takes over for spellings it refuses ("1.5 E+01")."""
    import numpy as np

    fields = " ".join(lines).replace(",", " ").replace(";", " ").split()
    if len(fields) > 2 * MAX_POINTS:
        raise UnreadableFile(f"more than {MAX_POINTS} points: not an EMSA/MSA spectrum this reader takes")
    try:
        numbers = np.array(fields, dtype=np.float64)
    except ValueError:
        numbers = np.array([_number(field) for field in re.split(r"[,;\s]+(?![-+]?\d*E)", " ".join(lines))
                            if field.strip()], dtype=np.float64)
    return numbers[1::2] if xy else numbers


def _axis(values: dict, size: int) -> dict:
    unit = clean_unit(values.get("XUNITS", ""))
    name = "Energy" if unit in ("eV", "keV") else (values.get("XLABEL") or "x")
    scale = _number(values["XPERCHAN"]) if values.get("XPERCHAN") else 1.0
    offset = _number(values["OFFSET"]) if values.get("OFFSET") else 0.0
    return {"name": name, "size": size, "scale": scale, "offset": offset, "unit": unit, "navigate": False}


def extract(path) -> Extraction:
    """Read the header keywords, the data and the calibrated axis of an EMSA/MSA spectrum."""
    values, units, lines = _read(path)
    rows = tuple((key, term, units.get(key, unit) if unit else unit, convert) for key, term, unit, convert in MAPPING)
    metadata, warnings = apply_mapping(values, rows)
    try:
        counts = _counts(lines, values.get("DATATYPE", "Y").strip().upper() == "XY")
        axis = _axis(values, len(counts))
    except ValueError as exc:
        raise UnreadableFile(f"the spectral data is not numbers: {exc}") from exc
    metadata.update({"signal_type": "spectrum", "dimensions": [axis], "data_type": str(counts.dtype)})
    if axis["unit"] in ("eV", "keV"):
        metadata["energy_dispersion"] = quantity(axis["scale"], axis["unit"], "energy_dispersion")
        metadata["energy_offset"] = quantity(axis["offset"], axis["unit"], "energy_offset")
    if metadata.get("n_points") not in (None, len(counts)):
        warnings.append(f"the header says NPOINTS {metadata['n_points']} but {len(counts)} points were read")
    metadata["n_points"] = len(counts)
    acquired = iso_time(values.get("DATE", ""), values.get("TIME", ""), _DATE_FORMATS)
    if acquired:
        metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format="EMSA/MSA", extractor=NAME, metadata=metadata,
        original_metadata=jsonable({"keywords": values, "units": units}), warnings=tuple(warnings),
        loader=lambda: Data(counts, (axis,)), data_bytes=array_bytes(counts.shape, counts.dtype),
    )
