"""FEI TIA .ser/.emi: data from the .ser, conditions from the .emi; an .emi alone is described."""
import shutil

import pytest

from records.extractors import tia
from tests.conftest import corpus_file
from tests.records.extractors.expected import check


@pytest.mark.corpus
@pytest.mark.parametrize("name", [
    "rsciio/128x128-TEM_search.emi", "rsciio/128x128-TEM_search_1.ser",
    "rsciio/16x16-spectrum_image-5x5x1024.emi", "rsciio/16x16-spectrum_image-5x5x1024_1.ser",
])
def test_it_reads_what_the_microscope_wrote(name):
    check(tia.extract(corpus_file(name)), name)


@pytest.mark.corpus
def test_it_describes_an_emi_whose_ser_is_missing(tmp_path):
    emi = tmp_path / "alone.emi"
    shutil.copy(corpus_file("rsciio/128x128-TEM_search.emi"), emi)
    extraction = tia.extract(emi)
    assert extraction.error is None
    assert extraction.metadata["signal_type"] == "other"
    assert "alone_1.ser" in extraction.warnings[0]


@pytest.mark.corpus
def test_it_reads_a_ser_without_its_emi_and_says_what_is_missing(tmp_path):
    ser = tmp_path / "lonely_1.ser"
    shutil.copy(corpus_file("rsciio/128x128-TEM_search_1.ser"), ser)
    extraction = tia.extract(ser)
    assert [a["size"] for a in extraction.metadata["dimensions"]] == [128, 128]
    assert "acceleration_voltage" not in extraction.metadata
    assert any("no .emi" in warning for warning in extraction.warnings)


@pytest.mark.corpus
def test_the_spectrum_image_loads_with_the_energy_axis_last():
    data = tia.extract(corpus_file("rsciio/16x16-spectrum_image-5x5x1024_1.ser")).loader()
    assert data.array.shape == (5, 5, 1024)
    assert data.axes[-1]["unit"] == "eV"


def test_it_reads_a_ser_written_by_the_tests(tmp_path):
    from tests.data.make_ser import SHAPE, make_ser

    extraction = tia.extract(make_ser(tmp_path))
    assert extraction.metadata["signal_type"] == "image"
    assert [axis["size"] for axis in extraction.metadata["dimensions"]] == list(SHAPE)
    assert extraction.metadata["pixel_size_x"] == {"value": 2.0, "unit": "nm"}
    array = extraction.loader().array
    assert (int(array.min()), int(array.max())) == (0, (SHAPE[0] - 1) * 10 + (SHAPE[1] - 1) * 3)
