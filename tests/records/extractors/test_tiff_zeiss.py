"""Zeiss SmartSEM TIFF: the CZ_SEM (label, value, unit) parameters."""
import pytest

from records.extractors import tiff_zeiss
from tests.conftest import corpus_file
from tests.data.make_tiff import make_zeiss_tiff
from tests.records.extractors.expected import check


@pytest.mark.corpus
def test_it_reads_what_the_microscope_wrote():
    name = "rsciio/test_tiff_Zeiss_SEM_512pix.tif"
    check(tiff_zeiss.extract(corpus_file(name)), name)


def test_it_reads_zeiss_parameters_written_by_the_tests(tmp_path):
    metadata = tiff_zeiss.extract(make_zeiss_tiff(tmp_path)).metadata
    assert metadata["acceleration_voltage"] == {"value": 3.0, "unit": "kV"}
    assert metadata["magnification"] == 25000.0
    assert metadata["pixel_size_x"] == {"value": 12.5, "unit": "nm"}
    assert metadata["working_distance"] == {"value": 4.2, "unit": "mm"}
    assert metadata["stage_x"] == {"value": 10500.0, "unit": "um"}
    assert metadata["detector"] == "SE2"
    assert metadata["acquisition_time"] == "2023-02-01T09:30:05"
    assert [axis["scale"] for axis in metadata["dimensions"]] == [12.5, 12.5]
