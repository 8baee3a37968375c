"""Point cloud previews: projected points coloured by depth."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import pointcloud, render
from tests.conftest import corpus_file
from tests.data.make_pcd import make_pcd
from tests.records.previews.helpers import assert_good_preview, digest


def test_near_and_far_points_get_different_colours(tmp_path):
    shown = assert_good_preview(render(extract(make_pcd(tmp_path, "binary")), tmp_path / "p.png"))
    drawn = shown[np.any(shown != 255, axis=-1)]
    assert len(np.unique(drawn, axis=0)) > 20


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["pcd/ascii.pcd", "pcd/binary.pcd", "pcd/binary_compressed.pcd",
                                  "pcd/ascii_organized.pcd"])
def test_every_corpus_cloud_gets_a_preview(tmp_path, name):
    assert_good_preview(render(extract(corpus_file(name)), tmp_path / "c.png"))


@pytest.mark.corpus
def test_the_three_encodings_of_one_cloud_look_the_same(tmp_path):
    outs = [pointcloud.render(extract(corpus_file(f"pcd/{n}.pcd")), tmp_path / f"{n}.png")
            for n in ("ascii", "binary", "binary_compressed")]
    assert len({digest(o) for o in outs}) == 1
