"""Small generated files for tests that build sessions: 16-bit TIFFs, PNGs, and a fixed start time."""
import io
from datetime import datetime, timezone

import numpy as np

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=timezone.utc)


def tiff_bytes(seed: int = 0, size: int = 64) -> bytes:
    import tifffile

    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, rng.integers(0, 4000, (size, size), dtype="uint16"))
    return buffer.getvalue()


def png_bytes(seed: int = 0) -> bytes:
    from PIL import Image

    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (48, 64), dtype="uint8")).save(buffer, format="PNG")
    return buffer.getvalue()
