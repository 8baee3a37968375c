"""PCD point clouds in the three encodings, organized or not."""
import pytest

from records.errors import UnreadableFile
from records.extractors import pcd
from tests.conftest import corpus_file
from tests.data.make_pcd import POINTS, bowl, make_pcd
from tests.records.extractors.expected import check, files_of


@pytest.mark.corpus
@pytest.mark.parametrize("name", files_of("pcd"))
def test_it_reads_each_encoding_of_the_corpus(name):
    check(pcd.extract(corpus_file(name)), name)


@pytest.mark.parametrize("encoding", ["ascii", "binary", "binary_compressed"])
def test_it_reads_points_written_by_the_tests(tmp_path, encoding):
    extraction = pcd.extract(make_pcd(tmp_path, encoding))
    assert extraction.metadata["encoding"] == encoding
    assert extraction.metadata["n_points"] == POINTS
    points = extraction.loader().array
    assert points.shape == (POINTS, 3)
    assert points.tolist() == bowl().tolist()


def test_it_refuses_a_cloud_without_coordinates(tmp_path):
    path = tmp_path / "no_xyz.pcd"
    path.write_text("VERSION 0.7\nFIELDS a b\nSIZE 4 4\nTYPE F F\nCOUNT 1 1\nWIDTH 1\nHEIGHT 1\n"
                    "VIEWPOINT 0 0 0 1 0 0 0\nPOINTS 1\nDATA ascii\n1 2\n")
    with pytest.raises(UnreadableFile, match="needs x, y and z"):
        pcd.extract(path)
