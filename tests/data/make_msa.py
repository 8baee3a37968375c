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


# ISO 22029:2022 style: unit suffixes spelled and spaced freely, ":" without a space, scientific
# notation, XY data with NCOLUMNS, a title over two lines, an ISO date.
ISO_2022_HEADER = """#FORMAT:EMSA/MAS Spectral Data File
#VERSION:TC202v2.0
#TITLE:Pyrite, 20 kV
#TITLE:second line of the title
#DATE:2023-05-04
#TIME:09:30:15
#OWNER:ISO tester
#NPOINTS:64
#NCOLUMNS:1
#XUNITS:eV
#YUNITS:counts
#DATATYPE:XY
#XPERCHAN:1.0E+01
#OFFSET:-2.0E+01
#SIGNALTYPE:EDS
#BEAMKV-KV:2.0E+01
#LIVETIME-S:3.0E+01
#REALTIME-S:3.5E+01
#ELEVANGLE-DG:3.5E+01
#AZIMANGLE-DG:4.5E+01
#PROBECUR-NA:1.2E+00
#SPECTRUM:Spectral Data Starts Here
"""


def make_iso2022_msa(folder: Path, name: str = "iso2022.msa") -> Path:
    path = Path(folder) / name
    rows = [f"{-20.0 + channel * 10.0:.1f}, {100 + (900 if 30 <= channel <= 33 else 0)}" for channel in range(CHANNELS)]
    path.write_text(ISO_2022_HEADER + "\n".join(rows) + "\n#ENDOFDATA:\n", encoding="ascii")
    return path
