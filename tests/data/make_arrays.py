"""In-memory extractions around generated arrays, for preview tests that need no file."""
import numpy as np

from records.extractors.base import Data, Extraction


def axis(name: str, size: int, scale: float = 1.0, offset: float = 0.0, unit: str = "", navigate: bool = False):
    return {"name": name, "size": size, "scale": scale, "offset": offset, "unit": unit, "navigate": navigate}


def extraction_of(array, signal_type: str, axes: tuple = (), path: str = "generated.bin") -> Extraction:
    return Extraction(path=path, format="generated", extractor="test", metadata={"signal_type": signal_type},
                      loader=lambda: Data(array, tuple(axes)), data_bytes=getattr(array, "nbytes", 0))


def blobs(shape=(300, 400), dtype=np.uint16) -> np.ndarray:
    """Gaussian spots on a slope: contrast a preview must keep."""
    y, x = np.mgrid[: shape[0], : shape[1]].astype(np.float64)
    image = x / shape[1] * 100
    for cy, cx in ((0.3, 0.3), (0.6, 0.7), (0.8, 0.2)):
        image += 1000 * np.exp(-((y - cy * shape[0]) ** 2 + (x - cx * shape[1]) ** 2) / 200)
    if np.issubdtype(np.dtype(dtype), np.integer):
        image = image / image.max() * min(np.iinfo(dtype).max, 60000)
    return image.astype(dtype)


def peaks(channels: int = 2048) -> np.ndarray:
    energy = np.arange(channels, dtype=np.float64)
    return 50 + 2000 * np.exp(-((energy - channels * 0.3) ** 2) / 50) + 800 * np.exp(-((energy - channels * 0.6) ** 2) / 80)
