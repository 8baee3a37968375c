"""Image previews: robust contrast for 8/16/32-bit, float, complex and RGB data, downsampled to 500 px."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import image, render
from tests.conftest import corpus_file
from tests.data.make_arrays import axis, blobs, extraction_of
from tests.records.previews.helpers import assert_good_preview, digest, pixels
from tests.records.extractors.expected import CORPUS, FLAT


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.int32, np.float32, np.float64])
def test_it_renders_each_bit_depth(tmp_path, dtype):
    out = image.render(extraction_of(blobs(dtype=dtype), "image"), tmp_path / "p.png")
    shown = assert_good_preview(out)
    assert shown.shape == (375, 500, 3)


def test_it_shows_the_magnitude_of_complex_data(tmp_path):
    data = blobs(dtype=np.float64) * np.exp(1j * 0.7)
    out = image.render(extraction_of(data, "image"), tmp_path / "c.png")
    plain = image.render(extraction_of(blobs(dtype=np.float64), "image"), tmp_path / "r.png")
    assert digest(out) == digest(plain)


def test_it_keeps_colour_images_in_colour(tmp_path):
    rgb = np.dstack([blobs(dtype=np.uint8), np.zeros((300, 400), np.uint8), 255 - blobs(dtype=np.uint8)])
    shown = pixels(image.render(extraction_of(rgb, "image"), tmp_path / "rgb.png"))
    assert shown[..., 1].max() == 0 and shown[..., 0].max() > 200


def test_a_few_hot_pixels_do_not_flatten_the_contrast(tmp_path):
    clean = pixels(image.render(extraction_of(blobs(dtype=np.float32), "image"), tmp_path / "clean.png"))
    data = blobs(dtype=np.float32)
    data[0, :5] = 1e9
    shown = pixels(image.render(extraction_of(data, "image"), tmp_path / "hot.png"))
    assert abs(shown.std() - clean.std()) < 0.1 * clean.std()


def test_a_large_image_is_downsampled_to_500_px(tmp_path):
    shown = assert_good_preview(image.render(extraction_of(blobs((3000, 4000), np.uint16), "image"), tmp_path / "l.png"))
    assert shown.shape[:2] == (375, 500)


@pytest.mark.corpus
@pytest.mark.parametrize("name", [n for n, case in CORPUS.items() if case[2] == "image" and case[0] != "tiff_fei"
                                  or n == "rsciio/FEI-Helios-Ebeam-8bits.tif"])
def test_every_corpus_image_gets_a_preview(tmp_path, name):
    extraction = extract(corpus_file(name))
    out = render(extraction, tmp_path / "x.png")
    if name in FLAT:
        assert pixels(out)[:-60].std() == 0  # all one grey above the scale bar
    else:
        assert_good_preview(out)


def test_a_calibrated_image_gets_a_scale_bar(tmp_path):
    axes = (axis("y", 300, 2.0, unit="nm"), axis("x", 400, 2.0, unit="nm"))
    flat = np.full((300, 400), 7, dtype=np.uint16)
    shown = pixels(image.render(extraction_of(flat, "image", axes), tmp_path / "bar.png"))
    bar = shown[-14:-10, 10:]
    white = np.flatnonzero((bar == 255).all(axis=2).all(axis=0))
    # 400 px of 2 nm shown in 500 px: 1.6 nm a pixel; a fifth of 800 nm is 160 nm -> a 100 nm bar of 62 px
    assert white[0] == 0 and len(white) == 63
    assert (shown[:200] == shown[0, 0]).all()


def test_an_uncalibrated_image_gets_no_scale_bar(tmp_path):
    flat = np.full((300, 400), 7, dtype=np.uint16)
    assert pixels(image.render(extraction_of(flat, "image", (axis("y", 300), axis("x", 400))), tmp_path / "n.png")).std() == 0


def test_colour_pixels_of_a_structured_dtype_stay_in_colour(tmp_path):
    rgba = np.zeros((40, 60), dtype=[("R", "u1"), ("G", "u1"), ("B", "u1"), ("A", "u1")])
    rgba["R"][:, :30] = 200
    rgba["B"][:, 30:] = 180
    shown = pixels(image.render(extraction_of(rgba, "image"), tmp_path / "rgba.png"))
    assert tuple(shown[100, 100]) == (200, 0, 0)
    assert tuple(shown[100, 400]) == (0, 0, 180)
