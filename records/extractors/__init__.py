"""Registry of extractors: picks one by extension and by content, and never raises."""
import importlib
import os
from dataclasses import replace
from pathlib import Path

from records.errors import EmptyFile
from records.extractors.base import Extraction, file_facts

# Tried in this order; the first whose EXTENSIONS match the name is the default, sniffing may override.
MODULES = ("dm", "tia", "spc", "msa", "emd", "bruker", "mrc", "jeol", "mib", "tofwerk", "hspy", "nion",
           "tiff_fei", "tiff_zeiss", "tiff_him", "tiff_tescan", "tiff", "sidecar", "rsciio_any", "hdf5", "pcd",
           "image", "text", "basic")
# text formats that may be named .txt (or .xml, .csv, .hdr), or sniffed as plain text
_TEXT_FORMATS = ("msa", "pcd", "bruker", "sidecar", "rsciio_any")
# modules reading one container: a name pointing at one of them and content at another is no lie
_FAMILIES = {"tiff_fei": "tiff", "tiff_zeiss": "tiff", "tiff_him": "tiff", "tiff_tescan": "tiff", "tiff": "tiff",
             "emd": "hdf5", "hspy": "hdf5", "tofwerk": "hdf5", "nion": "hdf5", "hdf5": "hdf5",
             "jeol": "img", "rsciio_any": "img"}
_DESCRIPTIONS = {"dm": "DigitalMicrograph", "tia": "TIA SER", "spc": "EDAX SPC", "msa": "EMSA/MSA",
                 "emd": "EMD", "bruker": "Bruker BCF/SPX", "mrc": "MRC", "jeol": "JEOL", "mib": "Merlin MIB",
                 "tofwerk": "Tofwerk HDF5", "hspy": "HyperSpy HDF5", "nion": "Nion Swift", "tiff_fei": "FEI TIFF",
                 "tiff_zeiss": "Zeiss TIFF", "tiff_him": "Zeiss/Fibics HIM TIFF", "tiff_tescan": "TESCAN TIFF",
                 "tiff": "TIFF", "sidecar": "instrument header", "rsciio_any": "RosettaSciIO format",
                 "hdf5": "HDF5", "pcd": "PCD point cloud", "image": "PNG/JPEG/GIF/BMP image", "text": "text",
                 "basic": "unknown"}


def _module(name: str):
    """The extractor module called `name` (imported on first use)."""
    return importlib.import_module(f"records.extractors.{name}")


def _by_extension(path: Path) -> str | None:
    suffix = path.suffix.lower()
    for name in MODULES:
        if suffix in _module(name).EXTENSIONS:
            return name
    return None


def _choose(path: Path) -> tuple[str, list[str]]:
    from records.extractors.sniff import sniff

    named = _by_extension(path)
    found = sniff(path)
    if found is None:
        return named or "basic", []
    if named is None or named == found or _FAMILIES.get(named, named) == _FAMILIES.get(found, found):
        return found, []
    if found == "text" and named in _TEXT_FORMATS:
        return named, []
    if named == "text" and found in _TEXT_FORMATS:
        return found, []  # an EMSA or PCD export saved as .txt is still that format
    warning = (f"the name says {path.suffix or 'no extension'} ({_DESCRIPTIONS[named]}) but the content is "
               f"{_DESCRIPTIONS[found]}; read as {_DESCRIPTIONS[found]}")
    return found, [warning]


def _failed(path: Path, name: str, exc: BaseException, warnings: list[str]) -> Extraction:
    basic = _module("basic").extract(path)
    message = str(exc) or type(exc).__name__
    if not isinstance(exc, (EmptyFile,)) and type(exc).__module__ != "records.errors":
        message = f"{_DESCRIPTIONS[name]} reader failed: {type(exc).__name__}: {message}"
    return Extraction(path=str(path), format=_DESCRIPTIONS[name], extractor=name, metadata=basic.metadata,
                      warnings=tuple(warnings) + basic.warnings, error=message)


def extract(path) -> Extraction:
    """Canonical metadata of one file; a failure becomes `error` with the basic facts kept."""
    path = Path(path)
    try:
        if os.path.getsize(path) == 0:
            raise EmptyFile("the file is empty (0 bytes)")
        name, warnings = _choose(path)
    except (OSError, EmptyFile) as exc:
        message = str(exc) if isinstance(exc, EmptyFile) else f"cannot open the file: {exc.strerror or exc}"
        basic = _module("basic").extract(path)
        return Extraction(path=str(path), format="unknown", extractor="basic", metadata=basic.metadata,
                          warnings=basic.warnings, error=message)
    try:
        result = _module(name).extract(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes an error, never a crash
        return _failed(path, name, exc, warnings)
    error = result.error or (warnings[0] if warnings else None)
    return replace(result, warnings=tuple(warnings) + tuple(result.warnings), error=error,
                   metadata={**file_facts(path), **result.metadata})
