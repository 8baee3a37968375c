"""DigitalMicrograph DM3/DM4: microscope, calibration and dimensions as the files state them."""
import pytest

from records.extractors import dm
from tests.conftest import corpus_file
from tests.records.extractors.expected import check, files_of


@pytest.mark.corpus
@pytest.mark.parametrize("name", files_of("dm"))
def test_it_reads_what_the_microscope_wrote(name):
    check(dm.extract(corpus_file(name)), name)


@pytest.mark.corpus
def test_it_puts_the_energy_axis_of_a_spectrum_image_last():
    extraction = dm.extract(corpus_file("rsciio/EELS_SI.dm4"))
    axes = extraction.metadata["dimensions"]
    assert [(a["name"], a["unit"], a["navigate"]) for a in axes] == [
        ("y", "um", True), ("x", "um", True), ("Energy loss", "eV", False)]
    assert extraction.loader().array.shape == (2, 2, 2048)


@pytest.mark.corpus
def test_it_knows_the_data_size_before_loading_it():
    extraction = dm.extract(corpus_file("rsciio/test_STEM_image.dm3"))
    assert extraction.data_bytes == 68 * 68 * 4
    data = extraction.loader()
    assert data.array.shape == (68, 68) and str(data.array.dtype) == "uint32"
