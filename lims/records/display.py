"""How metadata reads on the record pages: labels, values at a sensible precision in a fitting unit,
axes as rows, file facts apart from instrument settings, and warning marks on values instruments are
known to write unreliably.

Pages call `label(key)` for every name, so the labels can come from wherever the vocabulary lives.
"""
import math
from dataclasses import dataclass
from functools import lru_cache

from records.units import DISPLAY_UNITS, clean_unit, parse_unit, registry
from records.units import quantity as units_quantity

SIGNIFICANT_DIGITS = 5
# Labels of the canonical keys (docs/metadata.md); keys not listed read as "Their words".
LABELS = {
    "acceleration_voltage": "Acceleration voltage",
    "beam_current": "Beam current",
    "emission_current": "Emission current",
    "pixel_size_x": "Pixel size (x)",
    "pixel_size_y": "Pixel size (y)",
    "working_distance": "Working distance",
    "dwell_time": "Dwell time",
    "exposure_time": "Exposure time",
    "live_time": "Live time",
    "real_time": "Real time",
    "camera_length": "Camera length",
    "spot_size": "Spot size",
    "stage_x": "Stage x",
    "stage_y": "Stage y",
    "stage_z": "Stage z",
    "stage_alpha": "Stage tilt α",
    "stage_beta": "Stage tilt β",
    "energy_dispersion": "Energy per channel",
    "n_points": "Channels / points",
    "signal_type": "Signal type",
    "dimensions": "Axes",
    "data_type": "Data type",
    "acquisition_time": "Acquired",
    "n_lines": "Lines",
    "mime_type": "Media type",
    "modified_time": "Modified",
    "size": "Size",
    "mode": "Mode",
    "vendor": "Vendor",
    "model": "Model",
    "pages": "Pages",
}
# What the file is, as opposed to how the instrument was set: shown apart, under "File".
FILE_FACTS = ("size", "modified_time", "data_type", "pages", "encoding", "n_lines", "mime_type", "fields")
# Shown in their own place (axes table, activity mode, file time), never as a plain row.
SHOWN_ELSEWHERE = frozenset({"dimensions", "signal_type", "acquisition_time", "signals"})
# Values instruments write without checking them: the reason is shown beside a warning mark.
UNRELIABLE = {
    "operator": "The account logged in at the instrument PC, often not the person who acquired the data.",
    "specimen": "Typed into the acquisition software by hand and often left over from an earlier session.",
}
# Units a value may be rescaled between, small to large: 100000 us reads as 100 ms.
LADDERS = (
    ("pm", "nm", "um", "mm", "m"),
    ("ns", "us", "ms", "s"),
    ("fA", "pA", "nA", "uA", "mA", "A"),
    ("mV", "V", "kV", "MV"),
    ("meV", "eV", "keV", "MeV"),
    ("mPa", "Pa", "kPa"),
)
_LADDER_OF = {unit: ladder for ladder in LADDERS for unit in ladder}
# How units are printed.
UNIT_SYMBOLS = {"um": "µm", "us": "µs", "uA": "µA", "deg": "°", "ohm": "Ω"}
SUFFIXES = {"magnification": "×"}


@dataclass(frozen=True)
class Item:
    """One row of a metadata table: what people read, plus the reason when the value is unreliable."""

    key: str
    label: str
    text: str
    warning: str = ""


def label(key: str) -> str:
    """'Acceleration voltage' for `acceleration_voltage`: the one place labels are read from."""
    return LABELS.get(key) or key.replace("_", " ").strip().capitalize()


def number(value) -> str:
    """A number at SIGNIFICANT_DIGITS: 320.00000000000006 -> '320', -0.0 -> '0', 225000.0 -> '225,000'."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if not isinstance(value, float) or not math.isfinite(value):
        return str(value)
    rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if rounded == 0:
        return "0"
    magnitude = abs(rounded)
    if magnitude >= 10_000 and rounded.is_integer():
        return f"{int(rounded):,}"
    if 1e-4 <= magnitude < 1e6:
        decimals = max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(magnitude)))
        text = f"{rounded:.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{rounded:.{SIGNIFICANT_DIGITS - 1}g}"


@lru_cache(maxsize=256)
def _factor(unit: str, target: str) -> float:
    return float(registry().Quantity(1.0, parse_unit(unit)).to(parse_unit(target)).magnitude)


def rescale(value: float, unit: str) -> tuple[float, str]:
    """The value in a fitting unit of its ladder: kept when 0.1 <= |value| < 1000 (0.5 nm stays 0.5 nm),
    else moved to the unit giving 1 <= |value| < 1000 (100000 us is 100 ms), as near as the ladder goes."""
    unit = clean_unit(unit)
    ladder = _LADDER_OF.get(unit)
    if ladder is None or value == 0 or not math.isfinite(value) or 0.1 <= abs(value) < 1000:
        return value, unit
    best = (value, unit)
    for candidate in ladder:
        converted = value * _factor(unit, candidate)
        if abs(converted) >= 1 or candidate == ladder[0]:
            best = (converted, candidate)
        if 1 <= abs(converted) < 1000:
            return converted, candidate
    return best


def unit_symbol(unit: str) -> str:
    return UNIT_SYMBOLS.get(unit, unit)


def quantity(value, unit: str, fitting: bool = True) -> str:
    """'100 ms' for (100000, 'us'); `fitting=False` keeps the unit given. Text values keep their unit as written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fitting:
            value, unit = rescale(float(value), unit or "")
        text = number(value)
    else:
        text = str(value)
    return f"{text} {unit_symbol(unit)}".strip() if unit else text


def _is_quantity(value) -> bool:
    return isinstance(value, dict) and "value" in value and "unit" in value


def value_text(key: str, value) -> str:
    """Any metadata value as text: quantities rescaled, numbers rounded, lists and trees flattened."""
    if _is_quantity(value):
        return quantity(value["value"], str(value["unit"] or ""))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value) + SUFFIXES.get(key, "")
    if isinstance(value, dict):
        return "; ".join(f"{label(k)} {value_text(k, v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(key, item) for item in value)
    return "" if value is None else str(value)


def axes(dimensions) -> list[dict]:
    """The axes of a file as table rows: name, size, scale with its unit, offset, navigation or signal."""
    rows = []
    for axis in dimensions if isinstance(dimensions, list) else []:
        if not isinstance(axis, dict):
            continue
        unit = str(axis.get("unit") or "")
        scale, offset = axis.get("scale"), axis.get("offset")
        rows.append({
            "name": str(axis.get("name") or "—"),
            "size": number(axis["size"]) if isinstance(axis.get("size"), int) else "",
            "scale": quantity(scale, unit) if isinstance(scale, (int, float)) and unit else value_text("", scale),
            "offset": quantity(offset, unit) if isinstance(offset, (int, float)) and unit else value_text("", offset),
            "kind": "navigation" if axis.get("navigate") else "signal",
        })
    return rows


def _item(key: str, value) -> Item:
    return Item(key, label(key), value_text(key, value), UNRELIABLE.get(key, ""))


def column_unit(key: str) -> str:
    """The one unit a column of `key` values is shown in (the vocabulary's display unit), '' for none."""
    return DISPLAY_UNITS.get(key) or ""


def column_number(key: str, value) -> float | None:
    """A quantity's magnitude in `column_unit(key)`; None for other values and units that do not convert."""
    if not column_unit(key) or not _is_quantity(value) or not isinstance(value["value"], (int, float)):
        return None
    try:
        return units_quantity(value["value"], str(value["unit"] or ""), key)["value"]
    except Exception:  # noqa: BLE001 - pint raises many kinds for odd units
        return None


def in_column_unit(key: str, value) -> str:
    """A value for a table column: quantities as a number in `column_unit(key)` (no unit), others as text."""
    magnitude = column_number(key, value)
    return number(magnitude) if magnitude is not None else value_text(key, value)


def settings(metadata: dict) -> list[Item]:
    """Instrument settings (everything but file facts and what is shown elsewhere), sorted by label."""
    keys = [k for k in (metadata or {}) if k not in FILE_FACTS and k not in SHOWN_ELSEWHERE]
    return sorted((_item(key, metadata[key]) for key in keys if metadata[key] not in (None, "")),
                  key=lambda item: item.label.lower())


def further_signals(metadata: dict, preview_url: str) -> list[dict]:
    """A file's further signals (after its main one): title, signal type, settings, axes and preview link."""
    signals = []
    for index, entry in enumerate((metadata or {}).get("signals") or [], start=1):
        if not isinstance(entry, dict):
            continue
        own = entry.get("metadata") or {}
        signals.append({
            "index": index, "title": str(own.get("title") or f"Signal {index + 1}"),
            "signal_type": str(own.get("signal_type") or "other"), "items": settings(own),
            "axes": axes(own.get("dimensions")), "warnings": list(entry.get("warnings") or []),
            "error": entry.get("error") or "",
            "preview_url": f"{preview_url}?signal={index}" if entry.get("preview") else "",
        })
    return signals


def file_facts(metadata: dict) -> list[Item]:
    """Facts about the file itself (size, data type, pages ...) in a fixed order; times are shown by the page."""
    metadata = metadata or {}
    facts = []
    for key in FILE_FACTS:
        if key == "modified_time" or metadata.get(key) in (None, ""):
            continue
        text = _bytes(metadata[key]) if key == "size" else value_text(key, metadata[key])
        facts.append(Item(key, label(key), text))
    return facts


def _bytes(count) -> str:
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(count) if isinstance(count, int) else str(count)


def differing(metadata: dict, setup: dict) -> dict:
    """The part of one file's metadata that is not in its activity's common setup."""
    setup = setup or {}
    return {key: value for key, value in (metadata or {}).items() if key not in setup}


def known_keys() -> list[str]:
    """Canonical keys people can choose as columns, in the vocabulary's order."""
    return [key for key in DISPLAY_UNITS if key not in SHOWN_ELSEWHERE]


SCALEBAR_SHARE = 0.2  # a scale bar is about this share of the image's width
SCALED_SIGNALS = frozenset({"image", "diffraction"})


def scalebar(metadata: dict) -> dict | None:
    """A round length about a fifth of the image's width, and that length as a percentage of it.

    From the calibration of the image's horizontal axis (the last signal axis); None when the
    file is not an image or its axis has no unit.
    """
    if (metadata or {}).get("signal_type") not in SCALED_SIGNALS:
        return None
    signal = [a for a in metadata.get("dimensions") or [] if isinstance(a, dict) and not a.get("navigate")]
    if len(signal) < 2:
        return None
    axis = signal[-1]
    scale, size, unit = axis.get("scale"), axis.get("size"), str(axis.get("unit") or "")
    if not unit or not isinstance(scale, (int, float)) or not isinstance(size, int) or scale <= 0 or size <= 0:
        return None
    width = float(scale) * size
    target = width * SCALEBAR_SHARE
    exponent = math.floor(math.log10(target))
    length = max(step * 10.0 ** power for power in (exponent - 1, exponent) for step in (1, 2, 5)
                 if step * 10.0 ** power <= target)
    return {"percent": round(100 * length / width, 3), "label": quantity(length, unit)}
