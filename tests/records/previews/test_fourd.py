"""4-D STEM previews: the mean diffraction pattern over the scan."""
import numpy as np

from records.previews import fourd, render
from tests.data.make_arrays import extraction_of
from tests.records.previews.helpers import assert_good_preview, pixels


def test_it_shows_the_mean_pattern(tmp_path):
    data = np.zeros((4, 5, 64, 64), dtype=np.uint16)
    data[:, :, 30:34, 30:34] = 1000
    data[0, 0, 5:8, 5:8] = 500
    shown = assert_good_preview(fourd.render(extraction_of(data, "4d"), tmp_path / "4d.png"))
    assert shown[250, 250, 0] == 255
    assert pixels(render(extraction_of(data, "4d"), tmp_path / "r.png")).shape == (500, 500, 3)
