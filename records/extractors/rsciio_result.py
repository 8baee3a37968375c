"""Turning one RosettaSciIO signal dict (read lazily) into canonical dimensions and a data loader."""
import os

from records.extractors.axes import arrange, classify, pixel_sizes
from records.extractors.base import Data, apply_mapping, array_bytes, dimensions

LAZY_ABOVE_BYTES = 32 * 1024**2  # smaller files are read at once: cheaper than setting up a lazy (dask) array


def lazy_for(path) -> bool:
    """Whether rsciio should read `path` lazily, leaving the data on disk until a preview asks for it."""
    return os.path.getsize(path) > LAZY_ABOVE_BYTES


def describe(entry: dict, hint: str = "") -> tuple[dict, object, int]:
    """(canonical metadata, zero-argument loader, decoded bytes) for an rsciio signal dict."""
    data = entry["data"]
    axes = dimensions(sorted(entry["axes"], key=lambda a: a.get("index_in_array", 0)))
    signal_type = classify(axes, hint)
    arranged, permutation = arrange(axes, signal_type)
    metadata = {
        "signal_type": signal_type,
        "dimensions": arranged,
        "data_type": str(data.dtype),
    }
    metadata.update(pixel_sizes(arranged, signal_type))

    def load() -> Data:
        import numpy as np

        array = np.asarray(data.compute() if hasattr(data, "compute") else data)
        if permutation != list(range(array.ndim)):
            array = np.transpose(array, permutation)
        return Data(array, tuple(arranged))

    return metadata, load, array_bytes(data.shape, data.dtype)


def mapped(entry: dict, mapping: tuple, hint: str = "") -> tuple[dict, list[str], object, int]:
    """(metadata, warnings, loader, decoded bytes): the MAPPING rows applied to the signal's vendor
    tree, plus its dimensions, signal type and pixel sizes from `describe`."""
    metadata, warnings = apply_mapping(entry["original_metadata"], mapping)
    described, loader, size = describe(entry, hint)
    metadata.update(described)
    return metadata, warnings, loader, size
