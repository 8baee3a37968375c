"""The facets search counts: which ones, their labels, and the buckets of the numeric ones.

A numeric bucket holds its lower edge but not its upper one, exactly like the range a click on it
adds (`magnification 1000..<10000`), so a file at 10,000x counts in one bucket only.
"""
from dataclasses import dataclass

from lims.search.query import ALIASES, parse

FACETS = ("instrument", "experimenter", "project", "year", "month", "format", "mode")
LABELS = {
    "instrument": "Instrument", "experimenter": "Experimenter", "project": "Project", "year": "Year",
    "month": "Month", "format": "File type", "mode": "Mode",
}
# Facet -> the field name a query uses for it.
FIELD_OF = {"experimenter": "user"}
MAX_FACET_VALUES = 50


@dataclass(frozen=True)
class Bucket:
    label: str
    query: str
    low: float | None  # SI base units, as the range of `query` reads them
    high: float | None


def _buckets(name: str, unit: str, edges: list, labels: list) -> tuple:
    buckets = []
    for position, label in enumerate(labels):
        low, high = edges[position], edges[position + 1]
        if low is None:
            query = f"{name} < {high}{unit}"
        elif high is None:
            query = f"{name} >= {low}{unit}"
        else:
            query = f"{name} {low}..<{high}{unit}"
        (node,) = parse(query).parts
        buckets.append(Bucket(label, query, node.low, node.high))
    return tuple(buckets)


@dataclass(frozen=True)
class NumericFacet:
    name: str
    label: str
    keys: tuple
    buckets: tuple


NUMERIC_FACETS = (
    NumericFacet("voltage", "Acceleration voltage", ALIASES["voltage"], _buckets(
        "voltage", "kV", [None, 4, 35, 150, 250, None],
        ["below 4 kV", "4–35 kV", "35–150 kV", "150–250 kV", "250 kV and more"])),
    NumericFacet("magnification", "Magnification", ALIASES["magnification"], _buckets(
        "magnification", "", [None, 1000, 10000, 100000, 1000000, None],
        ["below 1k×", "1k–10k×", "10k–100k×", "100k–1M×", "1M× and more"])),
    NumericFacet("pixel_size", "Pixel size", ALIASES["pixel size"], _buckets(
        "pixel_size", "nm", [None, 0.01, 0.1, 1, 10, 100, None],
        ["below 10 pm", "10–100 pm", "0.1–1 nm", "1–10 nm", "10–100 nm", "100 nm and more"])),
)
