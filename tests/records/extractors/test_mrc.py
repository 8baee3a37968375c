"""MRC: header calibration, volume or stack, the SerialEM .mdoc beside the file, central-slice previews."""
import numpy as np
import pytest
from PIL import Image

from records.extractors import extract
from records.process import process_file
from tests.conftest import corpus_file
from tests.data.make_mrc import make_mrc
from tests.records.extractors.expected import check


def test_a_volume_gets_calibrated_axes_and_central_slices(tmp_path):
    result = process_file(make_mrc(tmp_path), tmp_path / "volume.png")
    metadata = result["metadata"]
    assert result["format"] == "MRC" and result["error"] is None
    assert [(a["name"], a["size"], a["unit"]) for a in metadata["dimensions"]] == [
        ("z", 6, "nm"), ("y", 32, "nm"), ("x", 40, "nm")]
    assert metadata["pixel_size_x"] == {"value": 0.85, "unit": "nm"}
    shown = np.asarray(Image.open(result["preview"]).convert("RGB"))
    assert shown.shape[1] == 500
    # three panels, each with the bright sphere at its centre
    cell = (500 - 12) // 3
    for panel in range(3):
        middle = shown[18 + cell // 2 // 2, panel * (cell + 6) + cell // 2]
        assert middle[0] > 200, panel


def test_a_stack_reads_its_serialem_autodoc(tmp_path):
    metadata = extract(make_mrc(tmp_path, "tilt.mrc", volume=False, mdoc=True)).metadata
    assert metadata["companion"] == "tilt.mrc.mdoc"
    assert metadata["acceleration_voltage"] == {"value": 300.0, "unit": "kV"}
    assert metadata["magnification"] == 64000.0 and metadata["spot_size"] == 7.0 and metadata["binning"] == 2
    assert metadata["stage_alpha"] == {"value": -30.02, "unit": "deg"}
    assert metadata["stage_x"] == {"value": 12.5, "unit": "um"} and metadata["stage_y"] == {"value": -40.25, "unit": "um"}
    assert metadata["exposure_time"] == {"value": 1.2, "unit": "s"} and metadata["frame_count"] == 10
    assert metadata["acquisition_time"] == "2024-03-05T10:01:02"
    assert metadata["dimensions"][0]["name"] == "frame"


def test_the_autodoc_alone_names_its_mrc(tmp_path):
    make_mrc(tmp_path, "tilt.mrc", volume=False, mdoc=True)
    header = extract(tmp_path / "tilt.mrc.mdoc")
    assert header.extractor == "sidecar" and header.format == "SerialEM autodoc"
    assert header.metadata["companion"] == "tilt.mrc"
    assert header.metadata["pixel_size_x"] == {"value": 0.85, "unit": "nm"}


@pytest.mark.corpus
def test_it_reads_a_direct_electron_scan():
    check(extract(corpus_file("more/de_HAADFscan.mrc")), "more/de_HAADFscan.mrc")
