"""Other TIFF: ImageJ calibration and stacks, multi-page files, plain float images."""
from records.extractors import tiff
from tests.data.make_tiff import make_imagej_tiff, make_multipage_tiff, make_plain_tiff


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
