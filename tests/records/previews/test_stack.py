"""Stack previews: a montage of evenly spaced frames."""
import numpy as np

from records.extractors import extract
from records.previews import render, stack
from tests.data.make_arrays import blobs, extraction_of
from tests.data.make_tiff import make_multipage_tiff
from tests.records.previews.helpers import assert_good_preview, pixels


def test_it_tiles_up_to_nine_frames(tmp_path):
    frames = np.stack([np.full((40, 40), i, dtype=np.uint16) for i in range(20)])
    shown = pixels(stack.render(extraction_of(frames, "stack"), tmp_path / "m.png"))
    assert shown.shape[:2] == (500, 500)
    tiles = [shown[10 + r * 168, 10 + c * 168, 0] for r in range(3) for c in range(3)]
    assert tiles == sorted(tiles) and len(set(tiles)) == 9


def test_a_tiff_stack_gets_a_montage(tmp_path):
    out = render(extract(make_multipage_tiff(tmp_path, pages=4)), tmp_path / "t.png")
    assert_good_preview(out, longest=500)


def test_a_stack_of_real_looking_frames_is_not_blank(tmp_path):
    frames = np.stack([blobs((64, 64)) for _ in range(3)])
    assert_good_preview(stack.render(extraction_of(frames, "stack"), tmp_path / "b.png"))
