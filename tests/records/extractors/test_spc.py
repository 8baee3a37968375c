"""EDAX .spc: beam energy, live time, dispersion and the 4096 channels of the spectrum."""
import pytest

from records.extractors import spc
from tests.conftest import corpus_file
from tests.records.extractors.expected import check


@pytest.mark.corpus
def test_it_reads_what_the_detector_wrote():
    check(spc.extract(corpus_file("nexuslims/647_leo_edax_test.spc")), "nexuslims/647_leo_edax_test.spc")


@pytest.mark.corpus
def test_its_energy_axis_is_calibrated_in_kev():
    extraction = spc.extract(corpus_file("nexuslims/647_leo_edax_test.spc"))
    axis = extraction.metadata["dimensions"][0]
    assert (axis["scale"], axis["unit"], axis["size"]) == (0.005, "keV", 4096)
    assert extraction.loader().array.sum() > 0


def test_it_reads_a_spectrum_written_by_the_tests(tmp_path):
    from tests.data.make_spc import CHANNELS, make_spc

    extraction = spc.extract(make_spc(tmp_path))
    metadata = extraction.metadata
    assert metadata["acceleration_voltage"] == {"value": 20.0, "unit": "kV"}
    assert metadata["live_time"] == {"value": 50.0, "unit": "s"}
    assert metadata["energy_dispersion"] == {"value": 10.0, "unit": "eV"}
    assert metadata["dimensions"][0]["size"] == CHANNELS
    assert int(extraction.loader().array.argmax()) == 400
