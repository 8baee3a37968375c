"""DigitalMicrograph DM3/DM4: microscope, calibration and dimensions as the files state them."""
import numpy as np
import pytest
from PIL import Image

from records.extractors import dm
from records.process import process_file
from tests.data.make_dm import make_rgb_dm, make_stack_dm, make_two_image_dm
from tests.conftest import corpus_file
from tests.records.extractors.expected import check, files_of


@pytest.mark.corpus
@pytest.mark.parametrize("name", files_of("dm"))
def test_it_reads_what_the_microscope_wrote(name):
    check(dm.extract(corpus_file(name)), name)


@pytest.mark.corpus
def test_it_puts_the_energy_axis_of_a_spectrum_image_last():
    extraction = dm.extract(corpus_file("rsciio/EELS_SI.dm4"))
    axes = extraction.metadata["dimensions"]
    assert [(a["name"], a["unit"], a["navigate"]) for a in axes] == [
        ("y", "um", True), ("x", "um", True), ("Energy loss", "eV", False)]
    assert extraction.loader().array.shape == (2, 2, 2048)


@pytest.mark.corpus
def test_it_knows_the_data_size_before_loading_it():
    extraction = dm.extract(corpus_file("rsciio/test_STEM_image.dm3"))
    assert extraction.data_bytes == 68 * 68 * 4
    data = extraction.loader()
    assert data.array.shape == (68, 68) and str(data.array.dtype) == "uint32"


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_a_colour_image_keeps_its_metadata_and_previews_in_colour(tmp_path, version, ndim):
    result = process_file(make_rgb_dm(tmp_path, version, ndim), tmp_path / "rgb.png")
    assert result["error"] is None and result["warnings"] == []
    assert result["metadata"]["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert result["metadata"]["data_type"] == "rgba"
    assert result["signal_type"] == ("stack" if ndim == 3 else "image")
    shown = np.asarray(Image.open(result["preview"]).convert("RGB"))
    colours = {tuple(pixel) for pixel in shown.reshape(-1, 3)}
    assert (200, 0, 0) in colours and (0, 0, 180) in colours  # red and blue halves, not greys


@pytest.mark.parametrize("version", [3, 4])
def test_each_image_of_a_file_is_a_signal_of_its_own(tmp_path, version):
    extraction = dm.extract(make_two_image_dm(tmp_path, version))
    assert extraction.metadata["title"] == "HAADF" and extraction.metadata["pixel_size_x"] == {"value": 0.5, "unit": "nm"}
    [bright] = extraction.signals
    assert bright.metadata["title"] == "BF"
    assert [a["size"] for a in bright.metadata["dimensions"]] == [24, 32]
    assert bright.metadata["pixel_size_x"] == {"value": 1.0, "unit": "nm"}
    assert bright.metadata["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert bright.loader().array.shape == (24, 32)


def test_a_stack_finds_its_voltage_and_becomes_a_montage(tmp_path):
    result = process_file(make_stack_dm(tmp_path), tmp_path / "stack.png")
    assert result["signal_type"] == "stack"
    assert result["metadata"]["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert [a["size"] for a in result["metadata"]["dimensions"]] == [5, 32, 40]
    assert result["metadata"]["acquisition_mode"] == "TEM"
    assert result["metadata"]["acquisition_time"] == "2024-03-05T11:42:00"
    assert result["warnings"] == [] and Image.open(result["preview"]).size[0] == 500
