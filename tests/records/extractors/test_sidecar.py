"""Header files beside the data (Merlin .hdr, TESCAN .hdr, SerialEM .mdoc): read alone, partner named."""
from records.extractors import extract

MERLIN = """HDR,\t
Time and Date Stamp (day, mnth, yr, hr, min, s):\t05/03/2024 10:20:30
Chip ID:\tW1_A1,W1_B2
Chip Type (Medipix 3.0, Medipix 3.1, Medipix 3RX):\tMedipix 3RX
Chip Mode  (SPM, CSM, CM, CSCM):\tCSM
Frames in Acquisition (Number):\t4096
Readout System:\tMerlin Quad
Software Version:\t1.2
End\t
"""


def test_a_merlin_header_names_its_detector_and_its_frames(tmp_path):
    (tmp_path / "scan.mib").write_bytes(b"MQ1,000001,")
    (tmp_path / "scan.hdr").write_text(MERLIN)
    extraction = extract(tmp_path / "scan.hdr")
    metadata = extraction.metadata
    assert extraction.extractor == "sidecar" and extraction.format == "Merlin header"
    assert metadata["detector_type"] == "Medipix 3RX" and metadata["readout"] == "CSM"
    assert metadata["frame_count"] == 4096 and metadata["software_version"] == "Merlin 1.2"
    assert metadata["acquisition_time"] == "2024-03-05T10:20:30"
    assert metadata["companion"] == "scan.mib" and extraction.warnings == ()


def test_a_header_without_its_partner_says_so(tmp_path):
    (tmp_path / "alone.hdr").write_text(MERLIN)
    extraction = extract(tmp_path / "alone.hdr")
    assert "companion" not in extraction.metadata
    assert extraction.warnings == ("the data file this header belongs to is not beside it",)


def test_other_hdr_text_stays_plain_text(tmp_path):
    (tmp_path / "envi.hdr").write_text("ENVI\nsamples = 10\nlines = 20\n")
    assert extract(tmp_path / "envi.hdr").extractor == "text"
