"""Large pictures reach the preview thinned to about 1000 px, in their colours, whatever their mode."""
import numpy as np
import pytest
from PIL import Image

from records.extractors import image

WIDTH, HEIGHT = 2400, 1800
RED, BLUE = (200, 30, 40), (20, 40, 210)


def _halves(mode: str) -> Image.Image:
    """Left half red, right half blue, in `mode`."""
    rgb = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    rgb[:, : WIDTH // 2] = RED
    rgb[:, WIDTH // 2:] = BLUE
    picture = Image.fromarray(rgb, "RGB")
    if mode == "P":
        return picture.quantize(colors=4)
    return picture.convert(mode)


@pytest.mark.parametrize("mode, extension", [("RGBA", "png"), ("P", "gif"), ("RGB", "bmp")])
def test_a_large_picture_is_thinned_before_its_colours_are_looked_up(tmp_path, mode, extension):
    path = tmp_path / f"large.{extension}"
    _halves(mode).save(path)
    array = image.extract(path).loader().array
    assert array.shape == (HEIGHT // 2, WIDTH // 2, 3)
    assert tuple(array[10, 10]) == RED and tuple(array[-10, -10]) == BLUE


def test_a_large_jpeg_is_decoded_at_reduced_scale(tmp_path):
    path = tmp_path / "large.jpg"
    _halves("RGB").save(path, quality=95)
    extraction = image.extract(path)
    array = extraction.loader().array
    assert [axis["size"] for axis in extraction.metadata["dimensions"]] == [HEIGHT, WIDTH]
    assert array.shape == (HEIGHT // 4, WIDTH // 4, 3)
    assert np.abs(array[10, 10].astype(int) - RED).max() < 12
