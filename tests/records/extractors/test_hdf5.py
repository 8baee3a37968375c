"""Any other HDF5 file: its attributes and structure, its largest numeric dataset as the signal."""
from records.extractors import extract
from tests.data.make_signals import make_plain_hdf5


def test_it_lists_the_structure_and_keeps_the_attributes(tmp_path):
    extraction = extract(make_plain_hdf5(tmp_path))
    assert extraction.extractor == "hdf5" and extraction.error is None
    assert extraction.original_metadata["attributes"] == {"instrument": "beamline 7", "energy_keV": 12.4}
    assert extraction.original_metadata["datasets"]["scan/counts"] == "(10, 30) int32"
    assert extraction.metadata["title"] == "scan/counts"
    assert [a["size"] for a in extraction.metadata["dimensions"]] == [10, 30]
    assert extraction.loader().array.sum() == sum(range(300))
