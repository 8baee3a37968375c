"""Other TIFF: TVIPS, ImageJ calibration and stacks, multi-page files, plain float images, LZW."""
import numpy as np
from PIL import Image

from records.extractors import extract, tiff
from records.process import process_file
from tests.data.make_tiff import (make_imagej_tiff, make_lzw_tiff, make_multipage_tiff, make_plain_tiff,
                                  make_tvips_tiff)


def test_it_reads_an_imagej_stack_and_its_calibration(tmp_path):
    extraction = tiff.extract(make_imagej_tiff(tmp_path))
    metadata = extraction.metadata
    assert extraction.format == "ImageJ TIFF"
    assert metadata["signal_type"] == "stack"
    assert [axis["size"] for axis in metadata["dimensions"]] == [3, 48, 64]
    assert metadata["pixel_size_x"] == {"value": 500.0, "unit": "nm"}


def test_it_reads_separately_written_pages_as_a_stack(tmp_path):
    extraction = tiff.extract(make_multipage_tiff(tmp_path, pages=4))
    assert extraction.metadata["signal_type"] == "stack"
    assert extraction.metadata["pages"] == 4
    assert extraction.loader().array.shape == (4, 48, 64)


def test_it_reads_a_plain_float_image(tmp_path):
    extraction = tiff.extract(make_plain_tiff(tmp_path))
    assert extraction.format == "TIFF"
    assert extraction.metadata["data_type"] == "float32"
    assert "pixel_size_x" not in extraction.metadata
    assert extraction.loader().array.shape == (48, 64)


def test_a_hostile_calibration_unit_is_a_warning_not_unbounded_work(tmp_path):
    # pint's expression parser would build an exponent tower from this and take gigabytes.
    path = make_imagej_tiff(tmp_path, unit="um**2**2**2**2**2**2")
    result = tiff.extract(path)
    assert result.error is None
    assert "pixel_size_x" not in result.metadata
    assert any("not understood" in warning for warning in result.warnings)


def test_a_tvips_tiff_gives_its_microscope_and_calibration(tmp_path):
    extraction = extract(make_tvips_tiff(tmp_path))
    metadata = extraction.metadata
    assert extraction.format == "TVIPS TIFF" and metadata["vendor"] == "TVIPS"
    assert metadata["acceleration_voltage"] == {"value": 300.0, "unit": "kV"}
    assert metadata["magnification"] == 40000.0
    assert metadata["exposure_time"] == {"value": 0.5, "unit": "s"}
    assert metadata["pixel_size_x"] == {"value": 0.8, "unit": "nm"}
    assert metadata["stage_x"] == {"value": 15.0, "unit": "um"} and metadata["stage_alpha"] == {"value": 12.5, "unit": "deg"}
    assert metadata["detector"] == "TemCam-F416" and metadata["binning"] == 2
    assert [(a["scale"], a["unit"]) for a in metadata["dimensions"]] == [(0.8, "nm"), (0.8, "nm")]
    assert "spot_size" not in metadata  # 0 in the header means "not recorded"


def test_an_lzw_compressed_tiff_decodes_for_its_preview(tmp_path):
    result = process_file(make_lzw_tiff(tmp_path), tmp_path / "lzw.png")
    assert result["error"] is None and result["warnings"] == []
    assert result["metadata"]["mode"] == "RGB"
    red = np.asarray(Image.open(result["preview"]).convert("RGB"))[..., 0]
    assert red.std() > 10  # the gradient came through the decoder
