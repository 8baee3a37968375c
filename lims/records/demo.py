"""Demo data for a first look: an instrument, an admin, and one session built from sample files.

Real instrument files are taken from the shared corpus when it is next to the checkout (or at
LIMS_TEST_CORPUS); otherwise small synthetic files are generated so the demo always works.
"""
import os
import shutil
import time
from pathlib import Path

import numpy as np

# In acquisition order: a TEM run (images, diffraction, spectra), then an hour later an SEM run.
DEMO_FILES = [
    "rsciio/test_STEM_image.dm3",
    "rsciio/test_diffraction_pattern.dm3",
    "rsciio/test-EDS_spectrum.dm3",
    "rsciio/EELS_SI.dm4",
    "nexuslims/text_preview_test_paragraph.txt",
    "rsciio/FEI-Helios-Ebeam-8bits.tif",
    "rsciio/test_tiff_Zeiss_SEM_512pix.tif",
    "nexuslims/test_image_thumb_source.png",
    "rsciio/example1.msa",
    "pcd/binary.pcd",
]
SECOND_RUN = 5  # index of the first file of the second run


def corpus_dir() -> Path:
    default = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    return Path(os.environ.get("LIMS_TEST_CORPUS", default))


def _synthetic(folder: Path) -> None:
    """A few small files written here: a 16-bit image, an MSA spectrum and a note."""
    import tifffile

    y, x = np.mgrid[0:256, 0:256]
    image = (1000 + 800 * np.sin(x / 12.0) * np.cos(y / 17.0)).astype("uint16")
    tifffile.imwrite(folder / "synthetic_image.tif", image)
    energies = np.linspace(0, 10, 256)
    counts = 50 + 900 * np.exp(-((energies - 1.74) ** 2) / 0.01) + 300 * np.exp(-((energies - 6.4) ** 2) / 0.02)
    lines = ["#FORMAT      : EMSA/MAS Spectral Data File", "#VERSION     : 1.0", "#TITLE      : synthetic",
             "#NPOINTS     : 256", "#NCOLUMNS    : 1", "#XUNITS      : keV", "#YUNITS      : counts",
             "#DATATYPE    : Y", "#XPERCHAN    : 0.0390625", "#OFFSET      : 0.0", "#BEAMKV      : 15.0",
             "#SPECTRUM    :"] + [f"{c:.1f}," for c in counts] + ["#ENDOFDATA   :"]
    (folder / "synthetic_spectrum.msa").write_text("\n".join(lines) + "\n")
    (folder / "notes.txt").write_text("Demo session: synthetic files.\n")


def prepare_folder(folder: Path) -> str:
    """Fill `folder` with demo files, spaced in time so they form two activities; returns the source."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = corpus_dir()
    available = [corpus / name for name in DEMO_FILES if (corpus / name).exists()]
    if available:
        for path in available:
            shutil.copy2(path, folder / path.name)
        source = f"{len(available)} real instrument files from {corpus}"
    else:
        _synthetic(folder)
        source = "synthetic files (no corpus found)"
    base = time.time() - 2 * 3600
    ordered = [folder / Path(name).name for name in DEMO_FILES if (folder / Path(name).name).exists()]
    ordered += sorted(p for p in folder.iterdir() if p not in ordered)
    for index, path in enumerate(ordered):
        offset = index * 30 + (3600 if index >= SECOND_RUN else 0)
        os.utime(path, (base + offset, base + offset))
    return source
