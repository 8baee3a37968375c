"""4-D STEM previews: the virtual bright-field image beside the mean diffraction pattern."""
import dask.array as da
import numpy as np

from records.previews import fourd, render
from tests.data.make_arrays import extraction_of
from tests.records.previews.helpers import assert_good_preview, pixels


def _scan() -> np.ndarray:
    """A 6 x 8 scan of 64 x 64 patterns; the direct beam is dim at the top left scan position (a hole)."""
    data = np.zeros((6, 8, 64, 64), dtype=np.uint16)
    data[:, :, 28:36, 28:36] = 1000
    data[:3, :4, 28:36, 28:36] = 100
    data[:, :, 5:8, 5:8] = 20
    return data


def test_it_shows_the_virtual_bright_field_and_the_mean_pattern(tmp_path):
    shown = assert_good_preview(fourd.render(extraction_of(_scan(), "4d"), tmp_path / "4d.png"))
    assert shown.shape == (268, 500, 3)
    left, right = shown[fourd.LABEL_HEIGHT:, :250], shown[fourd.LABEL_HEIGHT:, 250:]
    # the bright field is dark where the beam was weak (top left quarter of the scan) and bright elsewhere
    assert left[40, 40, 0] < 60 and left[200, 200, 0] > 200
    # the mean pattern shows the direct beam in the middle
    assert right[125, 125, 0] == 255


def test_the_mask_is_the_direct_beam_disc():
    mask = fourd.bright_field_mask(_scan().mean(axis=(0, 1)))
    assert mask[32, 32] and not mask[6, 6] and mask.sum() == 64


def test_it_reduces_lazy_data_without_loading_it_whole(tmp_path):
    lazy = da.from_array(_scan(), chunks=(2, 2, 64, 64))
    path = render(extraction_of(lazy, "4d"), tmp_path / "lazy.png")
    assert pixels(path).shape == (268, 500, 3)
    assert pixels(path).tobytes() == pixels(render(extraction_of(_scan(), "4d"), tmp_path / "eager.png")).tobytes()
