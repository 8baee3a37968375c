"""Quantum Detectors Merlin (Medipix3) .mib frames and 4D-STEM scans with their .hdr acquisition header
(chip type, counter depth, thresholds, frames, readout system, software version) and the per-frame
headers (exposure, time stamp), read with rsciio.quantumdetector. Format described by the RosettaSciIO
Quantum Detectors docs and the Merlin user manual.
"""
from pathlib import Path

from records.extractors.headers import parse_merlin
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "mib"
EXTENSIONS = (".mib",)

MAPPING = (
    ("mib_properties.exposure", "exposure_time", "ms", float),
)
HEADER_ROWS = (  # the .hdr as records.extractors.headers.parse_merlin reads it; also read by the sidecar module
    ("merlin.Frames in Acquisition", "frame_count", None, int),
    ("merlin.Chip Type", "detector_type", None, str),
    ("merlin.Readout System", "detector", None, str),
    ("merlin.Chip Mode", "readout", None, str),
    ("merlin.Software Version", "software_version", None, lambda v: f"Merlin {v}"),
    ("merlin.Chip ID", "serial_number", None, str),
)
MAPPING = MAPPING + HEADER_ROWS
MAX_HEADER_BYTES = 1024**2


def extract(path):
    """Read the frame headers and the .hdr beside a .mib; frames are read only by the loader."""
    from rsciio.quantumdetector import file_reader

    path = Path(path)
    entries = file_reader(str(path), lazy=lazy_for(path))
    header = path.with_suffix(".hdr")
    common, merlin = {"vendor": "Quantum Detectors"}, {}
    if header.is_file() and header.stat().st_size <= MAX_HEADER_BYTES:
        common["companion"] = header.name
        merlin = parse_merlin(header.read_text(encoding="latin-1"))
    return extraction(path, "Merlin MIB", NAME, entries, MAPPING, hint="diffraction", common=common,
                      tree=lambda entry: {**entry["original_metadata"], "merlin": merlin})
