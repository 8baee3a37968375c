"""fft-power-spectrum: the power spectrum of an image and its radial profile, calibrated in 1/nm."""
import csv
import json

import numpy as np
from pydantic import Field

from lims.analysis.methods.signals import InputRefused, first_image, load, scale_in
from lims.analysis.params import Params as BaseParams

TITLE = "FFT power spectrum"
DESCRIPTION = ("The power spectrum of an image (the first frame of a stack) as an image, and its radial profile "
               "in spatial frequency (1/nm), with the strongest periodicity found.")
VERSION = "1.0"
ACCEPTS = ["image", "stack"]


class Params(BaseParams):
    window: bool = Field(True, description="Apply a Hann window first (less leakage from the image's edges)")
    min_frequency: float = Field(0.05, ge=0, le=0.5, description="Lowest frequency searched for the strongest "
                                 "periodicity, as a fraction of the sampling frequency (leaves out the centre)")


def power_spectrum(image: np.ndarray, window: bool) -> np.ndarray:
    image = image - image.mean()
    if window:
        image = image * np.outer(np.hanning(image.shape[0]), np.hanning(image.shape[1]))
    return np.abs(np.fft.fftshift(np.fft.fft2(image))) ** 2


def radial_profile(power: np.ndarray, dy_nm: float, dx_nm: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean power in rings of spatial frequency: (frequency in 1/nm at each ring's centre, mean power)."""
    rows, cols = power.shape
    fy = np.fft.fftshift(np.fft.fftfreq(rows, d=dy_nm))
    fx = np.fft.fftshift(np.fft.fftfreq(cols, d=dx_nm))
    q = np.hypot(*np.meshgrid(fy, fx, indexing="ij"))
    step = 1.0 / max(rows * dy_nm, cols * dx_nm)
    rings = np.rint(q / step).astype(int).ravel()
    last = int(min(fy.max(), fx.max()) / step)  # full rings only
    sums = np.bincount(rings, weights=power.ravel(), minlength=last + 1)[:last + 1]
    counts = np.bincount(rings, minlength=last + 1)[:last + 1]
    return np.arange(last + 1) * step, sums / np.maximum(counts, 1)


def _save_png(power: np.ndarray, path) -> None:
    from PIL import Image

    logged = np.log1p(power)
    low, high = np.percentile(logged, [1, 99.9])
    scaled = np.clip((logged - low) / max(high - low, 1e-12), 0, 1)
    Image.fromarray((scaled * 255).astype(np.uint8)).save(path)


def run(context) -> dict:
    summary = {}
    for index, item in enumerate(context.inputs):
        context.progress(index / len(context.inputs), f"transforming {item.name}")
        image, axes = first_image(load(item.path, ACCEPTS))
        dy, dx = (scale_in(axis, "nm") for axis in axes)
        if not dy or not dx:
            raise InputRefused(f"{item.name} has no pixel size in a length unit; the spectrum cannot be calibrated")
        power = power_spectrum(image, context.params.window)
        frequency, profile = radial_profile(power, dy, dx)
        nyquist = 0.5 / max(dy, dx)
        searched = frequency >= context.params.min_frequency * 2 * nyquist
        strongest = int(np.flatnonzero(searched)[np.argmax(profile[searched])]) if searched.any() else 0
        stem = item.stem
        _save_png(power, context.out / f"{stem}-power-spectrum.png")
        with open(context.out / f"{stem}-radial-profile.csv", "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["frequency (1/nm)", "mean power"])
            writer.writerows(zip(frequency.tolist(), profile.tolist()))
        found = {
            "shape": list(image.shape), "pixel_size": {"value": dx, "unit": "nm"},
            "frequency_step": {"value": float(frequency[1] if len(frequency) > 1 else 0), "unit": "1/nm"},
            "strongest_frequency": {"value": float(frequency[strongest]), "unit": "1/nm"},
            "strongest_period": {"value": float(1 / frequency[strongest]) if frequency[strongest] else None,
                                 "unit": "nm"},
        }
        (context.out / f"{stem}-fft.json").write_text(json.dumps(found, indent=1))
        summary[item.name] = found
    return summary
