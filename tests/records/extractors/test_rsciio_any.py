"""Other formats RosettaSciIO reads, written here with its own writers: blockfile, Ripple, DigitalSurf."""
import numpy as np
from PIL import Image

from records.extractors import extract
from records.process import process_file
from tests.data.make_signals import make_blockfile, make_digitalsurf, make_ripple


def test_a_blockfile_is_a_4d_scan_with_a_virtual_bright_field(tmp_path):
    result = process_file(make_blockfile(tmp_path), tmp_path / "blo.png")
    assert result["format"] == "blockfile" and result["error"] is None and result["warnings"] == []
    assert result["signal_type"] == "4d"
    assert [a["size"] for a in result["metadata"]["dimensions"]] == [4, 5, 32, 32]
    shown = np.asarray(Image.open(result["preview"]).convert("L"))
    assert shown.shape == (268, 500)


def test_a_ripple_spectrum_image_keeps_the_hyperspy_metadata(tmp_path):
    metadata = extract(make_ripple(tmp_path)).metadata
    assert metadata["signal_type"] == "spectrum_image"
    assert metadata["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert metadata["detector_elevation"] == {"value": 18.0, "unit": "deg"}
    assert metadata["dimensions"][-1]["unit"] == "keV" and metadata["dimensions"][-1]["size"] == 512


def test_a_digitalsurf_surface_is_a_calibrated_image(tmp_path):
    extraction = extract(make_digitalsurf(tmp_path))
    assert extraction.format == "DigitalSurf" and extraction.error is None
    assert extraction.metadata["signal_type"] == "image"
    assert extraction.metadata["pixel_size_x"] == {"value": 500.0, "unit": "nm"}
