"""EMSA/MSA text spectra: header keywords to canonical keys, the axis from XPERCHAN/OFFSET/XUNITS."""
import pytest

from records.extractors import msa
from tests.conftest import corpus_file
from records.extractors import extract
from tests.data.make_msa import CHANNELS, make_iso2022_msa, make_msa
from tests.records.extractors.expected import check


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["nexuslims/647_leo_edax_test.msa", "rsciio/example1.msa"])
def test_it_reads_what_the_header_says(name):
    check(msa.extract(corpus_file(name)), name)


def test_it_reads_a_spectrum_written_by_the_tests(tmp_path):
    extraction = msa.extract(make_msa(tmp_path))
    metadata = extraction.metadata
    assert metadata["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
    assert metadata["live_time"] == {"value": 12.5, "unit": "s"}
    assert metadata["energy_dispersion"] == {"value": 10.0, "unit": "eV"}
    assert metadata["acquisition_time"] == "2024-03-05T11:42:00"
    assert metadata["dimensions"][0]["size"] == CHANNELS
    assert extraction.warnings == ()


def test_it_warns_when_the_header_miscounts_the_points(tmp_path):
    extraction = msa.extract(make_msa(tmp_path, points=60))
    assert extraction.metadata["n_points"] == CHANNELS
    assert extraction.warnings == (f"the header says NPOINTS 60 but {CHANNELS} points were read",)


def test_it_reads_an_iso_22029_2022_file(tmp_path):
    extraction = extract(make_iso2022_msa(tmp_path))
    metadata = extraction.metadata
    assert extraction.error is None
    assert metadata["acceleration_voltage"] == {"value": 20.0, "unit": "kV"}
    assert metadata["live_time"] == {"value": 30.0, "unit": "s"}
    assert metadata["real_time"] == {"value": 35.0, "unit": "s"}
    assert metadata["detector_elevation"] == {"value": 35.0, "unit": "deg"}
    assert metadata["probe_current"] == {"value": 1.2, "unit": "nA"}
    assert metadata["title"] == "Pyrite, 20 kV second line of the title"
    assert metadata["energy_dispersion"] == {"value": 10.0, "unit": "eV"}
    assert metadata["n_points"] == 64
    assert metadata["acquisition_time"] == "2023-05-04T09:30:15"


def test_a_unit_the_file_states_wins_over_the_standard_one(tmp_path):
    path = tmp_path / "volts.msa"
    path.write_text(make_iso2022_msa(tmp_path).read_text().replace("#BEAMKV-KV:2.0E+01", "#BEAMKV -V: 20000"))
    assert extract(path).metadata["acceleration_voltage"] == {"value": 20.0, "unit": "kV"}


def test_numbers_spelled_with_a_space_before_the_exponent_are_read(tmp_path):
    path = tmp_path / "spaced.msa"
    text = make_iso2022_msa(tmp_path).read_text()
    path.write_text(text.replace("-20.0, 100\n", "-20.0, 1.0 E+02\n", 1))
    extraction = extract(path)
    assert extraction.error is None and extraction.metadata["n_points"] == 64
    assert extraction.loader().array[0] == 100.0
