"""Helium-ion TIFF: Zeiss ORION <ImageTags> and Fibics XML, RGBA pixels compressed with LZW."""
import pytest

from records.extractors import extract
from records.process import process_file
from tests.conftest import corpus_file
from tests.data.make_tiff import make_him_tiff
from tests.records.extractors.expected import check


def test_it_reads_orion_image_tags(tmp_path):
    result = process_file(make_him_tiff(tmp_path), tmp_path / "him.png")
    metadata = result["metadata"]
    assert result["format"] == "Zeiss HIM TIFF" and result["error"] is None and result["warnings"] == []
    assert metadata["acceleration_voltage"] == {"value": 29.997, "unit": "kV"}
    assert metadata["beam_current"] == {"value": 0.0005, "unit": "nA"}
    assert metadata["beam_species"] == "neon" and metadata["acquisition_mode"] == "HIM"
    assert metadata["pixel_size_x"] == {"value": 2.0, "unit": "nm"}
    assert metadata["stage_alpha"] == {"value": 3.5, "unit": "deg"}
    assert metadata["acquisition_time"] == "2024-03-05T13:15:00"


def test_it_reads_fibics_xml(tmp_path):
    metadata = extract(make_him_tiff(tmp_path, fibics=True)).metadata
    assert metadata["vendor"] == "Fibics" and metadata["beam_species"] == "helium"
    assert metadata["acceleration_voltage"] == {"value": 25.0, "unit": "kV"}
    assert metadata["dwell_time"] == {"value": 0.8, "unit": "us"}
    assert metadata["model"] == "Orion NanoFab" and metadata["software_version"] == "NPVE 4.5"


@pytest.mark.corpus
def test_it_reads_a_real_orion_file():
    check(extract(corpus_file("more/orion-zeiss_dataZeroed.tif")), "more/orion-zeiss_dataZeroed.tif")
