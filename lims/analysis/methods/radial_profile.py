"""radial-profile: the azimuthal average of a diffraction pattern around a given or found centre."""
import csv
import json

import numpy as np
from typing import Literal

from pydantic import Field
from scipy import ndimage, signal

from lims.analysis.methods.signals import first_image, load
from lims.analysis.params import Params as BaseParams

TITLE = "Radial profile"
DESCRIPTION = ("The azimuthal average of a diffraction pattern (or any image) around a centre you give or the "
               "brightest spot (the direct beam), calibrated in the pattern's own unit (1/nm for diffraction).")
VERSION = "1.0"
ACCEPTS = ["diffraction", "image"]


class Params(BaseParams):
    find: Literal["centre-of-mass", "brightest"] = Field(
        "centre-of-mass", description="How the centre is found when not given: the centre of mass of what stands "
        "above the median, or the brightest spot (the direct beam)")
    centre_x: float | None = Field(None, ge=0, le=100000, description="Centre column in pixels (empty: found)")
    centre_y: float | None = Field(None, ge=0, le=100000, description="Centre row in pixels (empty: found)")
    smoothing: float = Field(2.0, ge=0, le=50, description="Gaussian smoothing, in pixels, used to find the centre")


def find_centre(image: np.ndarray, smoothing: float, how: str = "centre-of-mass") -> tuple[float, float]:
    """(row, column) of the centre: of mass of what stands above the median, or the brightest spot after
    smoothing refined by the centre of mass of its neighbourhood."""
    smoothed = ndimage.gaussian_filter(image, smoothing) if smoothing else image
    if how == "centre-of-mass":
        above = np.clip(smoothed - np.median(smoothed), 0, None)
        if above.sum() > 0:
            cy, cx = ndimage.center_of_mass(above)
            return float(cy), float(cx)
    row, col = np.unravel_index(int(np.argmax(smoothed)), image.shape)
    half = max(2, int(round(2 * smoothing)))
    top, left = max(row - half, 0), max(col - half, 0)
    patch = smoothed[top:row + half + 1, left:col + half + 1]
    patch = patch - patch.min()
    if patch.sum() <= 0:
        return float(row), float(col)
    cy, cx = ndimage.center_of_mass(patch)
    return float(top + cy), float(left + cx)


def azimuthal_average(image: np.ndarray, centre: tuple[float, float]) -> np.ndarray:
    """Mean intensity in 1-pixel rings around `centre`, out to the nearest edge."""
    rows, cols = np.indices(image.shape)
    radius = np.hypot(rows - centre[0], cols - centre[1])
    rings = np.rint(radius).astype(int).ravel()
    last = int(min(centre[0], centre[1], image.shape[0] - 1 - centre[0], image.shape[1] - 1 - centre[1]))
    last = max(last, 1)
    sums = np.bincount(rings, weights=image.ravel(), minlength=last + 1)[:last + 1]
    counts = np.bincount(rings, minlength=last + 1)[:last + 1]
    return sums / np.maximum(counts, 1)


def run(context) -> dict:
    params = context.params
    summary = {}
    for index, item in enumerate(context.inputs):
        context.progress(index / len(context.inputs), f"averaging {item.name}")
        image, axes = first_image(load(item.path, ACCEPTS))
        if params.centre_x is not None and params.centre_y is not None:
            centre = (params.centre_y, params.centre_x)
        else:
            centre = find_centre(image, params.smoothing, params.find)
        profile = azimuthal_average(image, centre)
        step, unit = float(axes[-1].get("scale") or 1.0), str(axes[-1].get("unit") or "px")
        radius = np.arange(len(profile)) * step
        peaks, _ = signal.find_peaks(profile, prominence=0.05 * float(np.ptp(profile) or 1))
        stem = item.stem
        with open(context.out / f"{stem}-radial-profile.csv", "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([f"radius ({unit})", "mean intensity"])
            writer.writerows(zip(radius.tolist(), profile.tolist()))
        found = {
            "centre": {"x": centre[1], "y": centre[0], "unit": "px"},
            "step": {"value": step, "unit": unit},
            "rings": [{"value": float(radius[p]), "unit": unit} for p in peaks],
        }
        (context.out / f"{stem}-radial.json").write_text(json.dumps(found, indent=1))
        summary[item.name] = found
    return summary
