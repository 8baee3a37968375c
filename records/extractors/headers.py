"""Parsers of the text headers instruments write beside or inside their data: INI sections (FEI,
TESCAN), SerialEM .mdoc autodocs and Quantum Detectors Merlin .hdr files. Each returns plain dicts
of strings and never raises on odd text.
"""
import configparser
import re

_MDOC_LINE = re.compile(r"^\s*([^=\[\]]+?)\s*=\s*(.*?)\s*$")
_MDOC_SECTION = re.compile(r"^\s*\[\s*(\w+)\s*=\s*(.*?)\s*\]\s*$")


def parse_ini(text: str) -> dict:
    """{section: {key: value}} of INI text; {} when it does not parse."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    return {section: dict(parser[section]) for section in parser.sections()}


def parse_mdoc(text: str) -> dict:
    """A SerialEM autodoc: the global keys, then one dict per [ZValue = n] (or [FrameSet = n]) section
    under "sections"; other bracketed sections ([T = ...] titles) are listed under "titles"."""
    result: dict = {"sections": [], "titles": []}
    current = result
    for line in text.splitlines():
        section = _MDOC_SECTION.match(line)
        if section:
            if section.group(1) in ("ZValue", "FrameSet", "MontSection"):
                current = {section.group(1): section.group(2)}
                result["sections"].append(current)
            else:
                result["titles"].append(section.group(2))
                current = {}
            continue
        match = _MDOC_LINE.match(line)
        if match:
            current[match.group(1)] = match.group(2)
    return result


def mdoc_tree(text: str) -> dict:
    """A SerialEM autodoc as one flat dict: the global keys with the first section's on top, and
    "sections", how many [ZValue] (or [FrameSet]) sections it has."""
    parsed = parse_mdoc(text)
    first = parsed["sections"][0] if parsed["sections"] else {}
    flat = {key: value for key, value in parsed.items() if isinstance(value, str)}
    return {**flat, **first, "sections": len(parsed["sections"])}


def parse_merlin(text: str) -> dict:
    """A Merlin .hdr: "Label (choices):<tab>value" lines between "HDR," and "End"; labels lose their
    parenthesised choices ("Counter Depth (number)" -> "Counter Depth")."""
    result = {}
    for line in text.splitlines():
        if ":" not in line:
            continue
        label, value = line.split(":", 1)
        label = re.sub(r"\s*\(.*\)\s*$", "", label).strip()
        if label:
            result[label] = value.strip()
    return result


def key_values(text: str) -> dict:
    """Every "key=value" line of a text (TESCAN writes its INI sections so inside a TIFF tag)."""
    result = {}
    for line in re.split(r"[\n\x00]", text):
        if "=" in line:
            key, value = line.split("=", 1)
            key = re.sub(r"^[^A-Za-z]+", "", key).strip()  # binary block markers before the first key
            if key and key not in result:
                result[key] = value.strip()
    return result
