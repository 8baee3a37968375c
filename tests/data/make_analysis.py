"""Small calibrated inputs for the analysis methods, with known answers.

- `make_fringes`: an ImageJ TIFF of fringes with a 2 nm period at 0.1 nm per pixel (strongest frequency 0.5 1/nm);
  `make_fringes_dm3` the same as a DM3 image;
- `make_rings`: an ImageJ TIFF of a bright centre at (row 40, column 45) and a ring of radius 20 px, 0.05 nm per
  pixel (ring at 1.0 nm);
- `make_eds_msa`: an EDS spectrum (10 eV channels) with Gaussian peaks at Fe Ka (6404 eV) and Cu Ka (8048 eV) on a
  sloping background.
"""
from pathlib import Path

import numpy as np

FRINGE_PERIOD_NM = 2.0
FRINGE_PIXEL_NM = 0.1
RING_CENTRE = (40, 45)
RING_RADIUS_PX = 20
RING_PIXEL_NM = 0.05
PEAKS_EV = (6404.0, 8048.0)


def _imagej(path: Path, array: np.ndarray, pixel_nm: float) -> Path:
    import tifffile

    tifffile.imwrite(path, array.astype(np.float32), imagej=True, resolution=(1 / pixel_nm, 1 / pixel_nm),
                     metadata={"unit": "nm", "axes": "YX"})
    return path


def make_fringes(folder: Path, name: str = "fringes.tif", size: int = 120) -> Path:
    x = np.arange(size) * FRINGE_PIXEL_NM
    row = 100 + 50 * np.sin(2 * np.pi * x / FRINGE_PERIOD_NM)
    return _imagej(Path(folder) / name, np.tile(row, (size, 1)), FRINGE_PIXEL_NM)


def make_rings(folder: Path, name: str = "rings.tif", shape=(90, 96)) -> Path:
    rows, cols = np.indices(shape)
    radius = np.hypot(rows - RING_CENTRE[0], cols - RING_CENTRE[1])
    pattern = 1000 * np.exp(-(radius / 2.0) ** 2) + 200 * np.exp(-((radius - RING_RADIUS_PX) / 1.5) ** 2) + 10
    return _imagej(Path(folder) / name, pattern, RING_PIXEL_NM)


def make_eds_msa(folder: Path, name: str = "eds.msa", channels: int = 2048, width_ev: float = 10.0) -> Path:
    energies = np.arange(channels) * width_ev
    counts = 2000 * np.exp(-energies / 4000) + 50
    for centre in PEAKS_EV:
        counts += 3000 * np.exp(-0.5 * ((energies - centre) / 60) ** 2)
    header = (f"#FORMAT      : EMSA/MAS Spectral Data File\n#VERSION     : 1.0\n#TITLE       : EDS test\n"
              f"#NPOINTS     : {channels}\n#NCOLUMNS    : 1\n#XUNITS      : eV\n#YUNITS      : counts\n"
              f"#DATATYPE    : XY\n#XPERCHAN    : {width_ev}\n#OFFSET      : 0.0\n#SIGNALTYPE  : EDS\n"
              f"#BEAMKV   -kV: 20.0\n#SPECTRUM    : Spectral Data Starts Here\n")
    rows = "\n".join(f"{e:.1f}, {c:.1f}" for e, c in zip(energies, counts))
    path = Path(folder) / name
    path.write_text(header + rows + "\n#ENDOFDATA   : \n", encoding="ascii")
    return path


EDGE_EV = 543.1  # the oxygen K edge


def make_eels_msa(folder: Path, name: str = "eels.msa", channels: int = 1024, width_ev: float = 0.5,
                  offset_ev: float = 300.0) -> Path:
    """An EELS spectrum (0.5 eV channels from 300 eV): a power-law background with an edge at the oxygen K edge."""
    energies = offset_ev + np.arange(channels) * width_ev
    counts = 1e9 * energies ** -2.5
    counts = counts + np.where(energies >= EDGE_EV, 0.3 * counts[np.searchsorted(energies, EDGE_EV)], 0.0)
    header = (f"#FORMAT      : EMSA/MAS Spectral Data File\n#VERSION     : 1.0\n#TITLE       : EELS test\n"
              f"#NPOINTS     : {channels}\n#NCOLUMNS    : 1\n#XUNITS      : eV\n#YUNITS      : counts\n"
              f"#DATATYPE    : XY\n#XPERCHAN    : {width_ev}\n#OFFSET      : {offset_ev}\n#SIGNALTYPE  : ELS\n"
              f"#SPECTRUM    : Spectral Data Starts Here\n")
    rows = "\n".join(f"{e:.2f}, {c:.3f}" for e, c in zip(energies, counts))
    path = Path(folder) / name
    path.write_text(header + rows + "\n#ENDOFDATA   : \n", encoding="ascii")
    return path


def make_fringes_dm3(folder: Path, name: str = "fringes.dm3", size: int = 96) -> Path:
    """The fringes of `make_fringes` as a calibrated DM3 image (0.1 nm pixels)."""
    from tests.data.make_dm import MICROSCOPE, image_group, write_dm

    x = np.arange(size) * FRINGE_PIXEL_NM
    image = np.tile(100 + 50 * np.sin(2 * np.pi * x / FRINGE_PERIOD_NM), (size, 1)).astype(np.float32)
    group = image_group(image, MICROSCOPE, "fringes", scales=(FRINGE_PIXEL_NM,) * 2, units=("nm", "nm"))
    return write_dm(Path(folder) / name, [group], 3)
