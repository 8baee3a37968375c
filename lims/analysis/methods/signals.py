"""Reading an input file's data and calibration for a method (through the record library's extractors)."""
from dataclasses import dataclass

import numpy as np

from records.extractors import extract
from records.units import parse_unit, registry


class InputRefused(ValueError):
    """An input the method cannot work on (no data, a signal of another kind)."""


@dataclass
class Signal:
    array: np.ndarray
    axes: list
    signal_type: str


def load(path, accepts=None) -> Signal:
    """The data of a file as a float64 array with its axes (name, scale, offset, unit)."""
    extraction = extract(str(path))
    if accepts and extraction.signal_type not in accepts:
        raise InputRefused(f"{path.name} is a {extraction.signal_type} signal; this method reads {', '.join(accepts)}")
    if extraction.loader is None:
        raise InputRefused(f"{path.name} holds no data this method can read")
    data = extraction.loader()
    array = np.asarray(data.array)
    if np.iscomplexobj(array):
        array = np.abs(array)
    return Signal(array.astype(np.float64), [dict(axis) for axis in data.axes], extraction.signal_type)


def scale_in(axis: dict, unit: str) -> float | None:
    """The axis' step converted to `unit`, or None when it has no calibration in a compatible unit."""
    try:
        step = registry().Quantity(float(axis.get("scale") or 0), parse_unit(axis.get("unit") or ""))
        value = float(step.to(parse_unit(unit)).magnitude)
    except Exception:  # noqa: BLE001 - uncalibrated or another dimension
        return None
    return value if value > 0 else None


def first_image(signal: Signal) -> tuple[np.ndarray, list]:
    """The 2-D image of a signal (the first frame of a stack), with its two axes."""
    if signal.array.ndim < 2:
        raise InputRefused("this method needs an image")
    frames = signal.array.reshape((-1,) + signal.array.shape[-2:])
    return frames[0], signal.axes[-2:]
