"""The fallback: any file gets its size, time and MIME type, and it never fails."""
from records.extractors import basic


def test_it_describes_a_file_of_unknown_format(tmp_path):
    path = tmp_path / "settings.xyz"
    path.write_bytes(b"\x01\x02\x03")
    extraction = basic.extract(path)
    assert extraction.metadata["size"] == 3
    assert extraction.metadata["signal_type"] == "other"
    assert extraction.error is None


def test_it_guesses_the_mime_type_from_the_name(tmp_path):
    path = tmp_path / "slides.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert basic.extract(path).metadata["mime_type"] == "application/pdf"


def test_it_does_not_fail_on_a_missing_file(tmp_path):
    extraction = basic.extract(tmp_path / "gone.bin")
    assert extraction.warnings and "file facts unavailable" in extraction.warnings[0]
