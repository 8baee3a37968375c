"""EMD: NCEM files written by RosettaSciIO's writer (two signals), and a real Velox file."""
import pytest

from records.extractors import emd, extract
from records.process import process_file
from tests.conftest import corpus_file
from tests.data.make_signals import make_ncem_emd
from tests.records.extractors.expected import check


def test_each_dataset_of_an_ncem_file_is_a_signal(tmp_path):
    result = process_file(make_ncem_emd(tmp_path), tmp_path / "emd.png")
    assert result["format"] == "EMD" and result["error"] is None
    assert result["metadata"]["title"] == "BF"
    [entry] = result["metadata"]["signals"]
    assert entry["metadata"]["title"] == "HAADF" and entry["preview"] is True
    assert entry["metadata"]["pixel_size_x"] == {"value": 0.5, "unit": "nm"}
    assert [a["size"] for a in entry["metadata"]["dimensions"]] == [48, 64]
    assert (tmp_path / "emd.1.png").is_file()


@pytest.mark.corpus
def test_it_reads_a_velox_stack():
    extraction = emd.extract(corpus_file("more/velox_tem_stack.emd"))
    check(extraction, "more/velox_tem_stack.emd")
    metadata = extraction.metadata
    assert metadata["convergence_angle"] == {"value": 11.4112088094, "unit": "mrad"}
    assert metadata["extraction_voltage"] == {"value": 3.95, "unit": "kV"}
    assert metadata["stage_alpha"]["unit"] == "deg" and abs(metadata["stage_alpha"]["value"] + 12.586) < 0.01
    assert metadata["software_version"] == "2.11.1" and metadata["serial_number"] == "3492"
    assert metadata["acquisition_time"] == "2019-12-05T10:03:44"


@pytest.mark.corpus
def test_a_velox_file_named_h5_is_still_read_as_emd(tmp_path):
    renamed = tmp_path / "stack.h5"
    renamed.write_bytes(corpus_file("more/velox_tem_stack.emd").read_bytes())
    extraction = extract(renamed)
    assert extraction.extractor == "emd" and extraction.error is None and extraction.warnings == ()
