"""Plain text files (instrument logs, exports, notes; UTF-8, UTF-16 or legacy code pages such as
CP1252/ANSI): encoding detected with charset-normalizer, line count, first lines kept for the
preview. Encodings described by the WHATWG Encoding Standard.
"""
from records.errors import UnreadableFile
from records.extractors.base import Data, Extraction, apply_mapping

NAME = "text"
EXTENSIONS = (".txt", ".log", ".csv", ".md", ".ini", ".xml", ".json", ".hdr", ".rtf", ".tsv")
MAX_BYTES = 1_000_000  # enough to detect the encoding and fill the preview
PREVIEW_LINES = 40
_SINGLE_BYTE = {"cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp775", "cp850", "cp437", "latin_1", "iso8859_15"}

MAPPING = (
    ("encoding", "encoding", None, None),
    ("lines", "n_lines", None, int),
)


def _windows_default(raw: bytes, encoding: str, text: str) -> str:
    """cp1252 (Windows "ANSI") when it decodes the bytes to the same text as the detected single-byte code page."""
    if encoding in _SINGLE_BYTE:
        try:
            if raw.decode("cp1252") == text:
                return "cp1252"
        except UnicodeDecodeError:
            pass
    return encoding


def extract(path) -> Extraction:
    """Detect the encoding and count the lines; keep the first lines for the text preview."""
    from charset_normalizer import from_bytes

    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES)
        complete = not handle.read(1)
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary content (NUL bytes) in a file read as text")
    best = from_bytes(raw).best()
    if best is None:
        raise UnreadableFile("no text encoding fits these bytes")
    text = str(best)
    encoding = _windows_default(raw, best.encoding, text)
    lines = text.splitlines()
    tree = {"encoding": encoding, "language": best.language, "lines": len(lines), "complete": complete}
    metadata, warnings = apply_mapping(tree, MAPPING)
    metadata["signal_type"] = "text"
    if not complete:
        warnings.append(f"only the first {MAX_BYTES} bytes were read")
    head = "\n".join(lines[:PREVIEW_LINES])
    return Extraction(
        path=str(path), format="text", extractor=NAME, metadata=metadata, original_metadata=tree,
        warnings=tuple(warnings), loader=lambda: Data(head), data_bytes=len(head),
    )
