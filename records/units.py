"""Canonical metadata vocabulary and quantity normalisation with pint (200000 V equals 200 kV)."""
from functools import lru_cache

SIGNAL_TYPES = frozenset(
    {"image", "spectrum", "spectrum_image", "diffraction", "stack", "4d", "point_cloud", "text", "other"}
)

# Canonical keys and the unit each quantity is shown in (None: a plain string, number or list).
DISPLAY_UNITS = {
    "vendor": None,
    "model": None,
    "acquisition_time": None,
    "acceleration_voltage": "kV",
    "beam_current": "nA",
    "emission_current": "uA",
    "magnification": None,
    "pixel_size_x": "nm",
    "pixel_size_y": "nm",
    "working_distance": "mm",
    "dwell_time": "us",
    "exposure_time": "s",
    "live_time": "s",
    "real_time": "s",
    "detector": None,
    "camera_length": "mm",
    "spot_size": None,
    "stage_x": "um",
    "stage_y": "um",
    "stage_z": "um",
    "stage_alpha": "deg",
    "stage_beta": "deg",
    "signal_type": None,
    "dimensions": None,
    "data_type": None,
    "energy_dispersion": "eV",
    "n_points": None,
    "operator": None,
    "specimen": None,
    "title": None,
    "mode": None,
    "encoding": None,
    "n_lines": None,
    "fields": None,
    "size": None,
    "mime_type": None,
    "modified_time": None,
    "pages": None,
}
CANONICAL_KEYS = frozenset(DISPLAY_UNITS)

# Spellings instruments use that pint does not know.
_ALIASES = {
    "µm": "um", "μm": "um", "µA": "uA", "μA": "uA", "µs": "us", "μs": "us", "°": "deg", "dg": "deg",
    "mR": "mrad", "Å": "angstrom", "EV": "eV", "KEV": "keV", "kv": "kV", "KV": "kV", "1/nm": "1/nm",
}
_STEPS = {  # dimension -> display units from small to large, chosen when no key says otherwise
    "[length]": ("pm", "nm", "um", "mm", "m"),
    "[time]": ("ns", "us", "ms", "s"),
    "[current]": ("pA", "nA", "uA", "mA", "A"),
}


@lru_cache(maxsize=1)
def _registry():
    import pint

    return pint.UnitRegistry(cache_folder=":auto:")


def clean_unit(unit: str) -> str:
    """A unit spelling pint understands ("µm" -> "um", "Energy (EV)" -> "eV")."""
    unit = (unit or "").strip()
    if "(" in unit and unit.endswith(")"):
        unit = unit[unit.rindex("(") + 1:-1]
    return _ALIASES.get(unit, unit)


@lru_cache(maxsize=512)
def _factor(unit: str, target: str) -> float:
    registry = _registry()
    return float(registry.Quantity(1.0, unit).to(target).magnitude)


@lru_cache(maxsize=512)
def _auto_target(unit: str, magnitude_exponent: int) -> str:
    registry = _registry()
    quantity = registry.Quantity(1.0, unit)
    dimension = str(quantity.dimensionality)
    if dimension == "[length] * [mass] / [current] / [time] ** 3":
        return "kV"
    if dimension == "dimensionless" and unit in ("rad", "deg", "degree", "mrad"):
        return "deg" if unit != "mrad" else "mrad"
    steps = _STEPS.get(dimension)
    if not steps:
        return unit
    for step in steps:
        if 10.0 ** magnitude_exponent * _factor(unit, step) < 1000:
            return step
    return steps[-1]


def quantity(value: float, unit: str, key: str | None = None) -> dict:
    """`{"value", "unit"}` in the display unit of the canonical `key`, else a sensible one."""
    value = float(value)
    unit = clean_unit(unit)
    target = DISPLAY_UNITS.get(key) if key else None
    if not target:
        exponent = 0 if value == 0 else int(_floor_log10(abs(value)))
        target = _auto_target(unit, exponent)
    if target != unit:
        value = value * _factor(unit, target)
    return {"value": _round(value), "unit": target}


def to_base(q: dict) -> float:
    """The magnitude of a `{"value", "unit"}` quantity in SI base units, for comparisons."""
    registry = _registry()
    unit = clean_unit(q["unit"])
    base = registry.Quantity(1.0, unit).to_base_units()
    return float(q["value"]) * float(base.magnitude)


def _floor_log10(value: float) -> float:
    import math

    return math.floor(math.log10(value))


def _round(value: float) -> float:
    """Drop float noise (4999.999999999999 -> 5000.0) while keeping 12 significant digits."""
    return float(f"{value:.12g}")
