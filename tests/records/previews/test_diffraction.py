"""Diffraction previews: log intensity so faint spots show next to the direct beam."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import diffraction, render
from tests.conftest import corpus_file
from tests.data.make_arrays import extraction_of
from tests.records.previews.helpers import assert_good_preview, pixels


def test_a_faint_spot_is_visible_beside_the_direct_beam(tmp_path):
    pattern = np.zeros((200, 200))
    pattern[95:105, 95:105] = 1e6
    pattern[40:44, 40:44] = 50
    shown = pixels(diffraction.render(extraction_of(pattern, "diffraction"), tmp_path / "d.png"))
    assert shown[105, 105, 0] > 50  # the faint spot at (42, 42), scaled by 2.5
    assert shown[20, 20, 0] == 0


@pytest.mark.corpus
def test_the_corpus_pattern_gets_a_preview(tmp_path):
    out = render(extract(corpus_file("rsciio/test_diffraction_pattern.dm3")), tmp_path / "d.png")
    assert_good_preview(out)
