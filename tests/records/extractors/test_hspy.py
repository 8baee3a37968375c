"""HyperSpy .hspy files written by RosettaSciIO's writer: HyperSpy's metadata tree into the vocabulary."""
from records.extractors import extract
from records.process import process_file
from tests.data.make_signals import make_hspy


def test_it_reads_the_hyperspy_metadata_tree(tmp_path):
    extraction = extract(make_hspy(tmp_path))
    metadata = extraction.metadata
    assert extraction.extractor == "hspy" and extraction.error is None
    assert metadata["signal_type"] == "spectrum_image"
    assert [a["size"] for a in metadata["dimensions"]] == [6, 8, 512]
    assert metadata["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert metadata["camera_length"] == {"value": 120.0, "unit": "mm"}
    assert metadata["convergence_angle"] == {"value": 21.0, "unit": "mrad"}
    assert metadata["stage_x"] == {"value": 500.0, "unit": "um"}  # HyperSpy keeps stage positions in mm
    assert metadata["live_time"] == {"value": 30.0, "unit": "s"}
    assert metadata["elements"] == ["Fe", "Cu"]
    assert metadata["acquisition_time"] == "2024-03-05T10:20:30"


def test_its_spectrum_image_preview_marks_the_named_elements(tmp_path):
    result = process_file(make_hspy(tmp_path), tmp_path / "map.png")
    assert result["warnings"] == [] and result["error"] is None
    from PIL import Image

    assert Image.open(result["preview"]).size == (500, 250)
