"""Nion Swift data items: .ndata zips and .h5 files with their JSON properties."""
import pytest

from records.extractors import extract
from tests.data.make_signals import make_nion


@pytest.mark.parametrize("name, h5", [("haadf.ndata", False), ("haadf.h5", True)])
def test_it_reads_the_swift_properties(tmp_path, name, h5):
    extraction = extract(make_nion(tmp_path, name, h5))
    metadata = extraction.metadata
    assert extraction.extractor == "nion" and extraction.error is None and extraction.warnings == ()
    assert metadata["acceleration_voltage"] == {"value": 100.0, "unit": "kV"}
    assert metadata["dwell_time"] == {"value": 4.0, "unit": "us"}
    assert metadata["pixel_size_x"] == {"value": 0.2, "unit": "nm"}
    assert metadata["title"] == "HAADF 4" and metadata["acquisition_time"] == "2024-03-05T10:20:30"
    assert extraction.loader().array.shape == (40, 50)
