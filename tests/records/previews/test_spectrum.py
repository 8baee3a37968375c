"""Spectrum previews: a plot with a calibrated axis, its unit, and narrow peaks that survive."""
from dataclasses import replace

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


def test_the_elements_the_metadata_names_are_marked(tmp_path):
    from records.previews.lines import marks

    energy_axis = axis("Energy", 2048, 0.01, unit="keV")
    found = dict(marks({"elements": ["Fe", "Cu", "Xx"]}, energy_axis, 0.0, 20.47))
    assert abs(found["Fe Ka"] - 6.4052) < 0.001 and abs(found["Cu Ka"] - 8.0463) < 0.001
    assert "Xx Ka" not in found  # an unknown symbol is skipped, not an error
    eels = dict(marks({"elements": ["O"], "collection_angle": {"value": 20, "unit": "mrad"}},
                      axis("Energy loss", 1024, 1.0, unit="eV"), 0.0, 1023.0))
    assert abs(eels["O K"] - 543.1) < 0.5
    marked = extraction_of(peaks(2048), "spectrum", (energy_axis,))
    plain = pixels(spectrum.render(marked, tmp_path / "plain.png"))
    marked = replace(marked, metadata={**marked.metadata, "elements": ["Fe"]})
    shown = pixels(spectrum.render(marked, tmp_path / "fe.png"))
    red = (shown[..., 0] > 180) & (shown[..., 1] < 80)
    assert red.sum() > 20 and ((plain[..., 0] > 180) & (plain[..., 1] < 80)).sum() == 0
