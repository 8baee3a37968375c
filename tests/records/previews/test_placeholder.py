"""Placeholder previews for files with errors; no preview at all for plain unknown files."""
import numpy as np

from records.extractors import extract
from records.previews import render
from tests.records.previews.helpers import assert_good_preview


def test_a_file_with_an_error_gets_a_placeholder_naming_it(tmp_path):
    path = tmp_path / "empty.dm3"
    path.touch()
    shown = assert_good_preview(render(extract(path), tmp_path / "e.png"))
    assert tuple(shown[3, 3]) == (225, 225, 225)
    assert np.any(shown[150:180] < 100)  # the file name is written in the upper third


def test_an_unknown_file_without_error_gets_no_preview(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)))
    assert render(extract(path), tmp_path / "b.png") is None
    assert not (tmp_path / "b.png").exists()
