"""Spectrum image previews: navigator image beside the summed spectrum."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import render, spectrum_image
from tests.conftest import corpus_file
from tests.data.make_arrays import axis, extraction_of, peaks
from tests.records.previews.helpers import assert_good_preview, pixels


def test_it_shows_the_navigator_left_and_the_spectrum_right(tmp_path):
    cube = np.ones((8, 10, 512)) * peaks(512)
    cube[2:4, 2:4] *= 5
    axes = (axis("y", 8, 1, 0, "nm", True), axis("x", 10, 1, 0, "nm", True), axis("E", 512, 1.0, 100, "eV"))
    shown = assert_good_preview(spectrum_image.render(extraction_of(cube, "spectrum_image", axes), tmp_path / "si.png"))
    assert shown.shape == (250, 500, 3)
    left, right = shown[:, :250], shown[:, 250:]
    assert left.max() == 255 and np.all(right == (31, 119, 180), axis=-1).sum() > 100


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["rsciio/EELS_SI.dm4", "rsciio/16x16-spectrum_image-5x5x1024_1.ser",
                                  "rsciio/16x16-spectrum_image-5x5x1024.emi"])
def test_every_corpus_spectrum_image_gets_a_preview(tmp_path, name):
    shown = assert_good_preview(render(extract(corpus_file(name)), tmp_path / "si.png"))
    assert pixels(tmp_path / "si.png").shape == shown.shape == (250, 500, 3)
