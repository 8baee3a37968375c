"""FEI/Thermo TIFF: the FEI_HELIOS/FEI_SFEG sections, also when appended after a damaged image."""
import pytest

from records.extractors import tiff_fei
from tests.conftest import corpus_file
from tests.data.make_tiff import make_fei_appended_tiff, make_fei_tiff
from tests.records.extractors.expected import check


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["rsciio/FEI-Helios-Ebeam-8bits.tif",
                                  "nexuslims/quad1image_001_no_beam_scan_or_system_meta.tif"])
def test_it_reads_what_the_microscope_wrote(name):
    check(tiff_fei.extract(corpus_file(name)), name)


@pytest.mark.corpus
def test_it_keeps_the_metadata_of_an_image_whose_pixels_are_damaged():
    extraction = tiff_fei.extract(corpus_file("nexuslims/quad1image_001_no_beam_scan_or_system_meta.tif"))
    assert extraction.loader is None
    assert extraction.error.startswith("pixel data cannot be decoded")
    assert "FEI metadata sections missing: Beam, System" in extraction.warnings
    assert extraction.original_metadata["fei"]["EBeam"]["HV"] == "30000"


@pytest.mark.parametrize("make", [make_fei_tiff, make_fei_appended_tiff])
def test_it_reads_fei_metadata_written_by_the_tests(tmp_path, make):
    extraction = tiff_fei.extract(make(tmp_path))
    metadata = extraction.metadata
    assert extraction.error is None
    assert metadata["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
    assert metadata["beam_current"] == {"value": 0.16, "unit": "nA"}
    assert metadata["pixel_size_x"] == {"value": 2.5, "unit": "nm"}
    assert metadata["working_distance"] == {"value": 4.1, "unit": "mm"}
    assert metadata["stage_x"] == {"value": 1200.0, "unit": "um"}
    assert metadata["stage_alpha"]["unit"] == "deg"
    assert metadata["stage_alpha"]["value"] == pytest.approx(35.0, abs=1e-4)
    assert metadata["detector"] == "TLD"
    assert metadata["model"] == "Helios 5 CX"
    assert metadata["acquisition_time"] == "2024-03-14T14:15:09"
    assert extraction.loader().array.shape == (48, 64)
