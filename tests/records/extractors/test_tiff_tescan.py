"""TESCAN TIFF: the key=value tag, the .hdr beside it, SI units into the vocabulary."""
from records.extractors import extract
from tests.data.make_tiff import make_tescan_tiff


def test_it_reads_the_tescan_tag(tmp_path):
    extraction = extract(make_tescan_tiff(tmp_path))
    metadata = extraction.metadata
    assert extraction.extractor == "tiff_tescan" and extraction.error is None
    assert metadata["acceleration_voltage"] == {"value": 10.0, "unit": "kV"}
    assert metadata["working_distance"] == {"value": 8.5, "unit": "mm"}
    assert metadata["pixel_size_x"] == {"value": 10.0, "unit": "nm"}
    assert metadata["chamber_pressure"] == {"value": 0.0012, "unit": "Pa"}
    assert metadata["stage_rotation"] == {"value": 45.0, "unit": "deg"}
    assert metadata["magnification"] == 25000.0 and metadata["serial_number"] == "123-4567"
    assert metadata["acquisition_mode"] == "SEM" and metadata["beam_species"] == "electron"
    assert metadata["acquisition_time"] == "2024-03-05T10:20:30"
    assert [(a["scale"], a["unit"]) for a in metadata["dimensions"]] == [(10.0, "nm"), (10.0, "nm")]


def test_the_header_beside_the_image_is_its_partner(tmp_path):
    image = make_tescan_tiff(tmp_path, sidecar=True)
    metadata = extract(image).metadata
    assert metadata["companion"] == "tescan.hdr"
    assert metadata["acceleration_voltage"] == {"value": 12.0, "unit": "kV"}  # the .hdr is read first
    header = extract(image.with_suffix(".hdr"))
    assert header.extractor == "sidecar" and header.metadata["companion"] == "tescan.tif"
    assert header.metadata["acceleration_voltage"] == {"value": 12.0, "unit": "kV"}
