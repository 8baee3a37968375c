"""Text files: encoding detection (UTF-8, Windows-1252 "ANSI"), line counts, binary refused."""
import pytest

from records.errors import UnreadableFile
from records.extractors import text
from tests.conftest import corpus_file
from tests.data.make_images import make_text
from tests.records.extractors.expected import check, files_of


@pytest.mark.corpus
@pytest.mark.parametrize("name", files_of("text"))
def test_it_reads_the_corpus_texts(name):
    check(text.extract(corpus_file(name)), name)


@pytest.mark.corpus
def test_it_decodes_the_ansi_jeol_export():
    head = text.extract(corpus_file("nexuslims/text_preview_jeol_ansi.txt")).loader().array
    assert "$CM_MAG 1000" in head


@pytest.mark.parametrize("encoding, detected", [("utf-8", "utf_8"), ("cp1252", "cp1252")])
def test_it_detects_the_encoding(tmp_path, encoding, detected):
    extraction = text.extract(make_text(tmp_path, encoding))
    assert extraction.metadata["encoding"] == detected
    assert extraction.metadata["n_lines"] == 15
    assert "9.375 \u00b5m" in extraction.loader().array


def test_it_refuses_binary_content(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(UnreadableFile, match="binary content"):
        text.extract(path)
