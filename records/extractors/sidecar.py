"""Instrument header files written beside the data: TESCAN .hdr (INI sections [MAIN], [SEM] or [FIB]
beside a TIFF), Quantum Detectors Merlin .hdr (beside a .mib) and SerialEM .mdoc autodocs (beside an
.mrc or .tif stack). Read with the standard library; each names its partner file as `companion` and
gets the same canonical terms its partner gets, so a header uploaded alone still says what was done.
Formats described in the TESCAN Essence, Merlin and SerialEM documentation.
"""
from pathlib import Path

from records.errors import UnreadableFile
from records.extractors.base import Data, Extraction, apply_mapping, iso_time
from records.extractors import mib, mrc, tiff_tescan
from records.extractors.headers import mdoc_tree, parse_ini, parse_merlin

NAME = "sidecar"
EXTENSIONS = (".mdoc",)
MAX_BYTES = 4 * 1024**2
PREVIEW_LINES = 40
_PARTNERS = {"tescan": (".tif", ".tiff"), "merlin": (".mib",), "serialem": ("", ".mrc", ".st", ".tif")}


# The partner files' readers own these rows: a header alone gives the terms its data file gives.
MAPPING = tiff_tescan.MAPPING + mib.HEADER_ROWS + mrc.MDOC_ROWS


def _kind(text: str) -> str:
    if text.startswith("HDR,"):
        return "merlin"
    if "[MAIN]" in text:
        return "tescan"
    if "PixelSpacing" in text or "[ZValue" in text or "[FrameSet" in text:
        return "serialem"
    raise UnreadableFile("not a TESCAN, Merlin or SerialEM header")


def _tree(kind: str, text: str) -> dict:
    if kind == "tescan":
        sections = parse_ini(text)
        beam = next((name for name in ("SEM", "FIB") if name in sections), None)
        return {"MAIN": sections.get("MAIN", {}), "beam": sections.get(beam, {}), "beam_section": beam}
    if kind == "merlin":
        return {"merlin": parse_merlin(text)}
    return {"mdoc": mdoc_tree(text)}


def _partner(path: Path, kind: str) -> str | None:
    base = path.with_suffix("") if path.suffix.lower() in (".hdr", ".mdoc") else path
    for suffix in _PARTNERS[kind]:
        for candidate in (base.with_name(base.name + suffix), base.with_name(base.name + suffix.upper())):
            if candidate != path and candidate.is_file():
                return candidate.name
    return None


def _facts(kind: str, tree: dict) -> dict:
    found = {}
    if kind == "tescan":
        found["vendor"] = "TESCAN"
        if tree["beam_section"]:
            found["acquisition_mode"] = tree["beam_section"]
            found["beam_species"] = "electron" if tree["beam_section"] == "SEM" else "ion"
        main = tree["MAIN"]
        acquired = iso_time(main.get("Date", ""), main.get("Time", ""), ("%Y-%m-%d %H:%M:%S",))
    elif kind == "merlin":
        found["vendor"] = "Quantum Detectors"
        stamp = tree["merlin"].get("Time and Date Stamp", "")
        acquired = iso_time(stamp, "", ("%d/%m/%Y %H:%M:%S",))
    else:
        acquired = iso_time(" ".join(tree["mdoc"].get("DateTime", "").split()), "",
                            ("%d-%b-%y %H:%M:%S", "%d-%b-%Y %H:%M:%S"))
    if acquired:
        found["acquisition_time"] = acquired
    return found


def extract(path) -> Extraction:
    """Read a header file, map its keys and name the data file it belongs to."""
    path = Path(path)
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES)
    text = raw.decode("utf-8", "replace") if not raw.startswith(b"\xff\xfe") else raw.decode("utf-16")
    kind = _kind(text.lstrip("\ufeff"))
    tree = _tree(kind, text)
    metadata, warnings = apply_mapping(tree, MAPPING)
    metadata.update(_facts(kind, tree))
    metadata["signal_type"] = "text"
    partner = _partner(path, kind)
    if partner:
        metadata["companion"] = partner
    else:
        warnings.append("the data file this header belongs to is not beside it")
    head = "\n".join(text.splitlines()[:PREVIEW_LINES])
    names = {"tescan": "TESCAN header", "merlin": "Merlin header", "serialem": "SerialEM autodoc"}
    return Extraction(path=str(path), format=names[kind], extractor=NAME, metadata=metadata,
                      original_metadata=tree, warnings=tuple(warnings), loader=lambda: Data(head),
                      data_bytes=len(head))
