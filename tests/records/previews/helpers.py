"""Checks every preview test shares: PNG size, not blank, same bytes twice."""
import hashlib

import numpy as np
from PIL import Image


def pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGB"))


def assert_good_preview(path, longest: int = 500) -> np.ndarray:
    array = pixels(path)
    assert max(array.shape[:2]) == longest
    assert array.std() > 0
    return array


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()
