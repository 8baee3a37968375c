"""A small EMSA/MSA spectrum (ISO 22029 keywords, 64 channels of a peak on a background)."""
from pathlib import Path

CHANNELS = 64
HEADER = """#FORMAT      : EMSA/MAS Spectral Data File
#VERSION     : 1.0
#TITLE       : Test spectrum
#DATE        : 05-MAR-2024
#TIME        : 11:42
#OWNER       : tester
#NPOINTS     : {points}
#NCOLUMNS    : 1
#XUNITS      : keV
#YUNITS      : counts
#DATATYPE    : XY
#XPERCHAN    : 0.01
#OFFSET      : 0.0
#SIGNALTYPE  : EDS
#BEAMKV   -kV: 15.0
#LIVETIME  -s: 12.5
#SPECTRUM    : Spectral Data Starts Here
"""


def make_msa(folder: Path, name: str = "spectrum.msa", points: int = CHANNELS) -> Path:
    path = Path(folder) / name
    rows = []
    for channel in range(CHANNELS):
        counts = 100 + (900 if 30 <= channel <= 33 else 0) - channel
        rows.append(f"{channel * 0.01:.4f}, {counts}")
    path.write_text(HEADER.format(points=points) + "\n".join(rows) + "\n#ENDOFDATA   : \n", encoding="ascii")
    return path
