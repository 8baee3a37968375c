"""Every other format RosettaSciIO reads: blockfile (.blo), EMPAD (.xml + .raw), DigitalSurf (.sur,
.pro), Phenom (.elid), Delmic (.h5), Protochips (.csv), Renishaw (.wdf), Horiba Jobin Yvon (.xml),
Semper (.unf), Ripple (.rpl), DENS heater logs (.dens), Hamamatsu (.img), netCDF (.nc), NeXus (.nxs),
NumPy (.npy), PantaRhei (.prz), Quadstar (.sac, .sbc), TOPSPIN (.app5), Trivista (.tvf), TVIPS (.tvips),
MRCZ (.mrcz) and EDAX spectrum images (.spd), one signal per signal the reader returns. Vendor
metadata comes through HyperSpy's metadata tree, which these readers fill. Formats described in the
RosettaSciIO "Supported formats" docs.
"""
from pathlib import Path

from records.extractors.rsciio_result import extraction, lazy_for

NAME = "rsciio_any"
# extension -> RosettaSciIO plugin; .xml, .csv, .h5 and .img reach this module only by their content
PLUGINS = {
    ".blo": "blockfile", ".sur": "digitalsurf", ".pro": "digitalsurf", ".elid": "phenom", ".wdf": "renishaw",
    ".unf": "semper", ".rpl": "ripple", ".dens": "dens", ".nc": "netcdf", ".nxs": "nexus", ".npy": "numpy",
    ".prz": "pantarhei", ".sac": "quadstar", ".sbc": "quadstar", ".app5": "topspin", ".tvf": "trivista",
    ".tvips": "tvips", ".mrcz": "mrcz", ".spd": "edax",
}
EXTENSIONS = tuple(PLUGINS)
MAPPING = ()  # the readers map their vendor keys into HyperSpy's tree; rsciio_result.HYPERSPY_MAPPING reads it
_BY_CONTENT = ((b"<raw_file", "empad"), (b"<LSX_Tree", "jobinyvon"), (b"Protochips", "protochips"),
               (b"\x89HDF", "delmic"), (b"IM", "hamamatsu"))
_NAMES = {"blockfile": "blockfile", "digitalsurf": "DigitalSurf", "phenom": "Phenom ELID", "renishaw": "Renishaw WDF",
          "semper": "Semper", "ripple": "Ripple", "dens": "DENS", "netcdf": "netCDF", "nexus": "NeXus", "numpy": "NumPy",
          "pantarhei": "PantaRhei", "quadstar": "Quadstar", "topspin": "TOPSPIN", "trivista": "Trivista",
          "tvips": "TVIPS", "mrcz": "MRCZ", "edax": "EDAX SPD", "empad": "EMPAD", "jobinyvon": "Jobin Yvon",
          "protochips": "Protochips", "delmic": "Delmic", "hamamatsu": "Hamamatsu"}


def _plugin(path: Path) -> str:
    plugin = PLUGINS.get(path.suffix.lower())
    if plugin:
        return plugin
    with open(path, "rb") as handle:
        head = handle.read(4096)
    for signature, name in _BY_CONTENT:
        if signature in head[:8] if signature in (b"\x89HDF", b"IM") else signature in head:
            return name
    from records.errors import UnreadableFile

    raise UnreadableFile("no RosettaSciIO reader recognises this file")


def extract(path):
    """Read every signal of the file with the RosettaSciIO reader of its format."""
    import importlib

    path = Path(path)
    plugin = _plugin(path)
    reader = importlib.import_module(f"rsciio.{plugin}").file_reader
    entries = reader(str(path), lazy=lazy_for(path))
    return extraction(path, _NAMES[plugin], NAME, entries, MAPPING)
