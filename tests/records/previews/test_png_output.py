"""Preview PNGs: either compression stores exactly the pixels drawn, and the contrast limits hold on large data."""
import numpy as np
from PIL import Image

from records.previews.canvas import enlarges, grey_image, save, to_uint8
from tests.data.make_arrays import blobs
from tests.records.previews.helpers import pixels


def test_both_compressions_store_the_same_pixels(tmp_path):
    picture = grey_image(blobs(dtype=np.uint16), 500)
    enlarged = pixels(save(picture, tmp_path / "enlarged.png", enlarged=True))
    plain = pixels(save(picture, tmp_path / "plain.png"))
    assert np.array_equal(enlarged, plain)
    assert np.array_equal(plain[..., 0], np.asarray(picture))


def test_only_data_smaller_than_the_preview_is_enlarged():
    assert enlarges(np.zeros((128, 128)), 500)
    assert not enlarges(np.zeros((300, 500)), 500)


def test_contrast_limits_of_a_large_image_ignore_a_few_hot_pixels():
    ramp = np.tile(np.arange(2000, dtype=np.float32), (1000, 1))
    ramp[::97, ::89] = 1e9
    scaled = to_uint8(ramp)
    assert scaled[1, :10].max() == 0 and scaled[1, -10:].min() == 255
    assert 120 <= scaled[1, 1000] <= 135


def test_a_saved_preview_is_a_png_without_text_chunks(tmp_path):
    path = save(Image.new("L", (50, 40), 200), tmp_path / "p.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (50, 40) and not image.text
