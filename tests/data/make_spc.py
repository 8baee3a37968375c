"""A small EDAX .spc spectrum, its header laid out with RosettaSciIO's own SPC header description."""
from pathlib import Path

import numpy as np

CHANNELS = 1024
DATA_START = 3840  # where EDAX writers put the counts


def make_spc(folder: Path, name: str = "spectrum.spc") -> Path:
    from rsciio.edax._api import get_spc_dtype_list

    header = np.zeros(1, dtype=np.dtype(get_spc_dtype_list(load_all=False, version=0.61)))
    values = {"version": 0.61, "dataStart": DATA_START, "numPts": CHANNELS, "evPerChan": 10,
              "startEnergy": 0.0, "endEnergy": CHANNELS * 0.01, "liveTime": 50.0, "kV": 20.0, "tilt": 5.0,
              "elevation": 35.0, "numElem": 0}
    for field, value in values.items():
        if field in header.dtype.names:
            header[field] = value
    counts = (100 + 5000 * np.exp(-((np.arange(CHANNELS) - 400) ** 2) / 20)).astype("<u4")
    path = Path(folder) / name
    with open(path, "wb") as handle:  # the header description runs past the counts: they overlay its tail
        handle.write(header.tobytes()[:DATA_START])
        handle.write(counts.tobytes())
        handle.write(b"\x00" * max(0, header.nbytes - DATA_START - counts.nbytes))
    return path
