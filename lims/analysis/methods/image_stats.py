"""image-stats: statistics and histogram of an image or a stack."""
import csv
import json

import numpy as np
from pydantic import Field

from lims.analysis.methods.signals import load
from lims.analysis.params import Params as BaseParams

TITLE = "Image statistics"
DESCRIPTION = "Minimum, maximum, mean, standard deviation, median and a histogram of each image or stack."
VERSION = "1.0"
ACCEPTS = ["image", "stack", "diffraction"]


class Params(BaseParams):
    bins: int = Field(64, ge=2, le=4096, description="Histogram bins")


def statistics(array: np.ndarray, bins: int) -> dict:
    finite = array[np.isfinite(array)]
    counts, edges = np.histogram(finite, bins=bins)
    return {
        "shape": list(array.shape),
        "min": float(finite.min()), "max": float(finite.max()),
        "mean": float(finite.mean()), "std": float(finite.std()), "median": float(np.median(finite)),
        "histogram": {"counts": counts.tolist(), "edges": edges.tolist()},
    }


def run(context) -> dict:
    summary = {}
    for index, item in enumerate(context.inputs):
        context.progress(index / len(context.inputs), f"reading {item.name}")
        stats = statistics(load(item.path, ACCEPTS).array, context.params.bins)
        stem = item.stem
        (context.out / f"{stem}-stats.json").write_text(json.dumps(stats, indent=1))
        with open(context.out / f"{stem}-histogram.csv", "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["from", "to", "count"])
            edges = stats["histogram"]["edges"]
            writer.writerows(zip(edges[:-1], edges[1:], stats["histogram"]["counts"]))
        summary[item.name] = {k: v for k, v in stats.items() if k != "histogram"}
    return summary
