"""spectrum-peaks: background-subtracted peaks of an EDS or EELS spectrum, with candidate X-ray lines or edges.

The candidates come from the X-ray line and absorption-edge table of `xraydb` (a pinned package that
ships its database): the main emission lines for EDS, the main edges for EELS.
"""
import csv
import json
from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import Field
from scipy import ndimage, signal

from lims.analysis.methods.signals import InputRefused, load, scale_in
from lims.analysis.params import Params as BaseParams, Quantity

TITLE = "Spectrum peaks"
DESCRIPTION = ("Peaks of an EDS or EELS spectrum (a spectrum image is summed) above a smooth background, at "
               "calibrated energies, each with the X-ray lines (EDS) or absorption edges (EELS) it may be.")
VERSION = "1.0"
ACCEPTS = ["spectrum", "spectrum_image"]
LINES = ("Ka1", "Kb1", "La1", "Lb1", "Ma")
EDGES = ("K", "L3", "L2", "M5", "M4")


class Params(BaseParams):
    technique: Literal["auto", "eds", "eels"] = Field("auto", description="EDS or EELS (auto: EELS when the "
                                                      "energy axis is an energy loss)")
    prominence: float = Field(0.02, gt=0, le=1, description="Smallest peak height kept, as a fraction of the "
                              "highest peak")
    background_width: Quantity("eV", gt=0, le=100000) = Field(400.0, description="Width of the window the "
                                                              "background is estimated in")
    tolerance: Quantity("eV", gt=0, le=5000) = Field(60.0, description="How far a line or edge may lie from a peak")
    min_energy: Quantity("eV", ge=-100000, le=1000000) = Field(150.0, description="Peaks below this energy are "
                                                                "left out (the detector's noise peak at zero)")
    max_peaks: int = Field(20, ge=1, le=200)


@lru_cache(maxsize=1)
def table() -> dict:
    """{"eds": [(element, line, energy eV)], "eels": [(element, edge, energy eV)]} for Z 3..94."""
    import xraydb

    eds, eels = [], []
    for z in range(3, 95):
        element = xraydb.atomic_symbol(z)
        for name, line in xraydb.xray_lines(element).items():
            if name in LINES and line.energy > 50:
                eds.append((element, name, float(line.energy)))
        for name, edge in xraydb.xray_edges(element).items():
            if name in EDGES and edge.energy > 20:
                eels.append((element, name, float(edge.energy)))
    return {"eds": eds, "eels": eels}


def candidates(energy_ev: float, technique: str, tolerance_ev: float) -> list[dict]:
    near = [(abs(e - energy_ev), element, name, e) for element, name, e in table()[technique]
            if abs(e - energy_ev) <= tolerance_ev]
    return [{"element": element, "line" if technique == "eds" else "edge": name, "energy": e}
            for _, element, name, e in sorted(near)[:8]]


def background(counts: np.ndarray, width: int) -> np.ndarray:
    """A smooth lower envelope: a rolling minimum, then a rolling mean of the same width."""
    width = max(3, width)
    return ndimage.uniform_filter1d(ndimage.minimum_filter1d(counts, width), width)


def find_peaks(counts: np.ndarray, energies: np.ndarray, params, technique: str) -> list[dict]:
    step = abs(float(energies[1] - energies[0])) if len(energies) > 1 else 1.0
    if technique == "eels":
        # An edge is a rise, not a peak: look at the background-subtracted slope.
        net = np.gradient(ndimage.gaussian_filter1d(counts, 2))
        net = net - background(net, int(params.background_width / step))
    else:
        net = counts - background(counts, int(params.background_width / step))
    net = np.where(energies >= params.min_energy, net, 0.0)
    highest = float(net.max()) if len(net) else 0.0
    if highest <= 0:
        return []
    found, properties = signal.find_peaks(net, prominence=params.prominence * highest,
                                          distance=max(1, int(params.tolerance / step / 2)))
    order = np.argsort(properties["prominences"])[::-1][:params.max_peaks]
    peaks = []
    for index in sorted(found[order]):
        energy = float(energies[index])
        peaks.append({"channel": int(index), "energy": {"value": round(energy, 3), "unit": "eV"},
                      "height": float(net[index]),
                      "candidates": candidates(energy, technique, params.tolerance)})
    return peaks


def run(context) -> dict:
    params = context.params
    summary = {}
    for index, item in enumerate(context.inputs):
        context.progress(index / len(context.inputs), f"searching {item.name}")
        loaded = load(item.path, ACCEPTS)
        axis = loaded.axes[-1] if loaded.axes else {}
        step = scale_in(axis, "eV")
        if not step:
            raise InputRefused(f"{item.name} has no energy axis in an energy unit")
        offset = float(axis.get("offset") or 0) * step / float(axis.get("scale") or 1)
        counts = loaded.array.reshape((-1, loaded.array.shape[-1])).sum(axis=0)
        energies = offset + step * np.arange(len(counts))
        technique = params.technique
        if technique == "auto":
            technique = "eels" if "loss" in str(axis.get("name") or "").lower() else "eds"
        peaks = find_peaks(counts, energies, params, technique)
        stem = item.stem
        with open(context.out / f"{stem}-peaks.csv", "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["energy (eV)", "height", "candidates"])
            for peak in peaks:
                names = " ".join(f"{c['element']} {c.get('line') or c.get('edge')}" for c in peak["candidates"])
                writer.writerow([peak["energy"]["value"], peak["height"], names])
        found = {"technique": technique, "channels": len(counts), "channel_width": {"value": step, "unit": "eV"},
                 "peaks": peaks}
        (context.out / f"{stem}-peaks.json").write_text(json.dumps(found, indent=1))
        summary[item.name] = {"technique": technique, "peaks": [
            {"energy": p["energy"], "best": (p["candidates"][:1] or [None])[0]} for p in peaks]}
    return summary
