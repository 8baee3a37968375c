"""Text previews: the first lines, drawn."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import render
from tests.conftest import corpus_file
from tests.data.make_images import make_text
from tests.records.previews.helpers import assert_good_preview, digest


def test_it_draws_the_first_lines(tmp_path):
    shown = assert_good_preview(render(extract(make_text(tmp_path)), tmp_path / "t.png"))
    inked_rows = np.where(np.any(shown < 128, axis=(1, 2)))[0]
    assert inked_rows.min() < 20 and 150 < inked_rows.max() < 260


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["nexuslims/basic_test.txt", "nexuslims/text_preview_jeol_ansi.txt",
                                  "nexuslims/text_preview_test_data.txt", "nexuslims/text_preview_test_paragraph.txt"])
def test_every_corpus_text_gets_a_preview(tmp_path, name):
    assert_good_preview(render(extract(corpus_file(name)), tmp_path / "t.png"))


def test_characters_the_font_lacks_are_drawn_as_question_marks(tmp_path):
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("Probe \u96fb\u5b50 5 nA at 200 \u00b5m\n", encoding="utf-8")
    marked = tmp_path / "marked.txt"
    marked.write_text("Probe ?? 5 nA at 200 \u00b5m\n", encoding="utf-8")
    shown = render(extract(foreign), tmp_path / "foreign.png")
    assert digest(shown) == digest(render(extract(marked), tmp_path / "marked.png"))
