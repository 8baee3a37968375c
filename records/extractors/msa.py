"""EMSA/MAS .msa spectra (ISO 22029): keyword header (#BEAMKV, #LIVETIME, #XPERCHAN, #DATE ...) and
the (x, y) data, read with rsciio.msa. Format described by ISO 22029 and the Microscopy Society of
America's EMSA/MAS file format note.
"""
from records.extractors.base import Extraction, iso_time, jsonable
from records.extractors.rsciio_result import mapped

NAME = "msa"
EXTENSIONS = (".msa", ".ems", ".mas", ".emsa")
_DATE_FORMATS = ("%d-%b-%Y %H:%M", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S")

MAPPING = (
    ("BEAMKV   -kV", "acceleration_voltage", "kV", float),
    ("EMISSION -uA", "emission_current", "uA", float),
    ("PROBECUR -nA", "beam_current", "nA", float),
    ("MAGCAM", "magnification", None, float),
    ("LIVETIME  -s", "live_time", "s", float),
    ("REALTIME  -s", "real_time", "s", float),
    ("DWELLTIME-ms", "dwell_time", "ms", float),
    ("NPOINTS", "n_points", None, lambda v: int(float(v))),
    ("OWNER", "operator", None, None),
    ("TITLE", "title", None, None),
    ("OPERMODE", "mode", None, None),
    ("ELSDET", "detector", None, None),
    ("EDSDET", "detector", None, None),
)


def _dispersion(axis: dict) -> dict | None:
    from records.units import clean_unit, quantity

    unit = clean_unit(axis.get("unit", ""))
    if unit not in ("eV", "keV"):
        return None
    return quantity(axis["scale"], unit, "energy_dispersion")


def extract(path) -> Extraction:
    """Read the header keywords and calibrated axis of an EMSA/MSA spectrum."""
    from rsciio.msa import file_reader

    entry = file_reader(str(path))[0]
    original = entry["original_metadata"]
    metadata, warnings, loader, size = mapped(entry, MAPPING)
    dispersion = _dispersion(metadata["dimensions"][-1])
    if dispersion:
        metadata["energy_dispersion"] = dispersion
    points = metadata["dimensions"][-1]["size"]
    if metadata.get("n_points") not in (None, points):
        warnings.append(f"the header says NPOINTS {metadata['n_points']} but {points} points were read")
    metadata["n_points"] = points
    acquired = iso_time(str(original.get("DATE", "")), str(original.get("TIME", "")), _DATE_FORMATS)
    if acquired:
        metadata["acquisition_time"] = acquired
    return Extraction(
        path=str(path), format="EMSA/MSA", extractor=NAME, metadata=metadata,
        original_metadata=jsonable(original), warnings=tuple(warnings), loader=loader, data_bytes=size,
    )
