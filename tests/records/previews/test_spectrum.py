"""Spectrum previews: a plot with a calibrated axis, its unit, and narrow peaks that survive."""
import numpy as np
import pytest

from records.extractors import extract
from records.previews import render, spectrum
from records.previews.plot import nice_ticks
from tests.conftest import corpus_file
from tests.data.make_arrays import axis, extraction_of, peaks
from tests.records.previews.helpers import assert_good_preview, digest, pixels

LINE = (31, 119, 180)


def test_it_plots_a_calibrated_spectrum(tmp_path):
    extraction = extraction_of(peaks(), "spectrum", (axis("Energy", 2048, 0.01, 0.0, "keV"),))
    shown = assert_good_preview(spectrum.render(extraction, tmp_path / "s.png"))
    assert shown.shape == (375, 500, 3)
    line = np.all(shown == LINE, axis=-1)
    assert line.sum() > 300
    assert line[:, :45].sum() == 0  # nothing drawn over the y labels


def test_a_one_channel_peak_is_still_drawn(tmp_path):
    y = np.zeros(20000)
    y[12345] = 1000
    shown = pixels(spectrum.render(extraction_of(y, "spectrum", (axis("E", 20000, 1, 0, "eV"),)), tmp_path / "n.png"))
    assert np.all(shown == LINE, axis=-1).sum(axis=0).max() > 100


def test_ticks_fall_on_round_numbers():
    assert nice_ticks(0.0, 20.48) == [0.0, 5.0, 10.0, 15.0, 20.0]
    assert nice_ticks(300.0, 2347.0) == [500.0, 1000.0, 1500.0, 2000.0]


def test_the_same_spectrum_gives_the_same_bytes(tmp_path):
    extraction = extraction_of(peaks(), "spectrum", (axis("Energy", 2048, 0.01, 0.0, "keV"),))
    assert digest(spectrum.render(extraction, tmp_path / "a.png")) == digest(spectrum.render(extraction, tmp_path / "b.png"))


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["rsciio/test-EDS_spectrum.dm3", "nexuslims/647_leo_edax_test.spc",
                                  "nexuslims/647_leo_edax_test.msa", "rsciio/example1.msa"])
def test_every_corpus_spectrum_gets_a_plot(tmp_path, name):
    assert_good_preview(render(extract(corpus_file(name)), tmp_path / "s.png"))
