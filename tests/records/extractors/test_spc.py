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
