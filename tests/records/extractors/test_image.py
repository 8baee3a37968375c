"""PNG, JPEG, GIF and BMP: size and mode from Pillow; a file that is no image is refused clearly."""
import pytest

from records.errors import UnreadableFile
from records.extractors import image
from tests.conftest import corpus_file
from tests.data.make_images import SHAPE, make_image
from tests.records.extractors.expected import check, files_of


@pytest.mark.corpus
@pytest.mark.parametrize("name", files_of("image"))
def test_it_reads_the_corpus_images(name):
    check(image.extract(corpus_file(name)), name)


@pytest.mark.parametrize("extension, kind", [("png", "PNG"), ("jpg", "JPEG"), ("gif", "GIF"), ("bmp", "BMP")])
def test_it_reads_images_written_by_the_tests(tmp_path, extension, kind):
    extraction = image.extract(make_image(tmp_path, extension))
    assert extraction.format == kind
    assert [axis["size"] for axis in extraction.metadata["dimensions"]] == list(SHAPE)
    assert extraction.loader().array.shape[:2] == SHAPE


@pytest.mark.corpus
def test_it_refuses_bytes_that_are_not_an_image():
    with pytest.raises(UnreadableFile, match="not a readable image"):
        image.extract(corpus_file("nexuslims/unreadable_image.jpg"))
