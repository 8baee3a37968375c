"""EDAX (Genesis/TEAM) .spc single EDS spectra: header with beam energy, live time, dispersion,
detector angles, and the counts, read with rsciio.edax. Format described in the RosettaSciIO EDAX
docs (after the EDAX "SPC file format" specification).
"""
from records.extractors.base import Extraction, jsonable
from records.extractors.rsciio_result import mapped

NAME = "spc"
EXTENSIONS = (".spc",)

MAPPING = (
    ("spc_header.kV", "acceleration_voltage", "kV", float),
    ("spc_header.liveTime", "live_time", "s", float),
    ("spc_header.evPerChan", "energy_dispersion", "eV", float),
    ("spc_header.numPts", "n_points", None, int),
    ("spc_header.tilt", "stage_alpha", "deg", float),
)


def extract(path) -> Extraction:
    """Read the header and calibrated energy axis of an EDAX .spc spectrum."""
    from rsciio.edax import file_reader

    entry = file_reader(str(path))[0]
    original = entry["original_metadata"]
    metadata, warnings, loader, size = mapped(entry, MAPPING)
    metadata["vendor"] = "EDAX"
    metadata["detector"] = "EDS"
    return Extraction(
        path=str(path), format="EDAX SPC", extractor=NAME, metadata=metadata,
        original_metadata=jsonable(original), warnings=tuple(warnings), loader=loader, data_bytes=size,
    )
