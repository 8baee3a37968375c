"""Deciding the signal type of an array from its calibrated axes, and putting signal axes last."""
from records.units import quantity

ENERGY_UNITS = frozenset({"eV", "keV", "meV", "ev", "kev"})
LENGTH_UNITS = frozenset({"pm", "Å", "nm", "µm", "μm", "um", "mm", "m"})
RECIPROCAL_UNITS = frozenset({"1/nm", "1/Å", "1/A", "1/um", "1/µm", "nm^-1", "1/m", "mrad", "rad"})


def _unit(axis: dict) -> str:
    return str(axis.get("unit") or axis.get("units") or "").strip()


def classify(axes: list[dict], hint: str = "") -> str:
    """Signal type from axis units and an optional vendor hint ("spectrum image", "diffraction")."""
    hint = hint.lower()
    ndim = len(axes)
    energy = [a for a in axes if _unit(a) in ENERGY_UNITS]
    if ndim == 1:
        return "spectrum"
    if energy and ndim >= 2:
        return "spectrum_image"
    if "spectrum image" in hint:
        return "spectrum_image"
    if ndim == 2:
        if "diffraction" in hint or all(_unit(a) in RECIPROCAL_UNITS for a in axes):
            return "diffraction"
        return "image"
    if ndim == 3:
        return "stack"
    if ndim == 4:
        return "4d"
    return "other"


def order(axes: list[dict], signal_type: str) -> list[int]:
    """Array axis order that puts navigation first and the signal axes last."""
    indices = list(range(len(axes)))
    if signal_type == "spectrum_image":
        energy = [i for i in indices if _unit(axes[i]) in ENERGY_UNITS] or [indices[-1]]
        return [i for i in indices if i != energy[-1]] + [energy[-1]]
    return indices


def arrange(axes: list[dict], signal_type: str) -> tuple[list[dict], list[int]]:
    """Axes reordered (navigation first) with their `navigate` flags set, and the permutation used."""
    permutation = order(axes, signal_type)
    signal_count = {"spectrum": 1, "spectrum_image": 1, "image": 2, "diffraction": 2, "stack": 2, "4d": 2}
    n_signal = signal_count.get(signal_type, len(axes))
    arranged = []
    for position, index in enumerate(permutation):
        axis = dict(axes[index])
        axis["navigate"] = position < len(permutation) - n_signal
        arranged.append(axis)
    return arranged, permutation


def pixel_sizes(dimensions: list[dict], signal_type: str) -> dict:
    """pixel_size_x/y from the two signal axes of an image when they are calibrated lengths."""
    if signal_type not in ("image", "stack", "spectrum_image"):
        return {}
    spatial = [a for a in dimensions if a["unit"] in LENGTH_UNITS and a["scale"]]
    if signal_type == "spectrum_image":
        spatial = [a for a in spatial if a["navigate"]]
    else:
        spatial = [a for a in spatial if not a["navigate"]]
    if len(spatial) < 2:
        return {}
    y_axis, x_axis = spatial[-2], spatial[-1]
    return {
        "pixel_size_x": quantity(abs(x_axis["scale"]), x_axis["unit"], "pixel_size_x"),
        "pixel_size_y": quantity(abs(y_axis["scale"]), y_axis["unit"], "pixel_size_y"),
    }
