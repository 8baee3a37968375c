"""The registry: picks by extension in any case and by content, flags names that lie, never raises."""
import shutil

import pytest

from records.extractors import MODULES, extract
from tests.conftest import corpus_file
from tests.data.make_images import make_image
from tests.data.make_tiff import make_fei_tiff, make_imagej_tiff, make_zeiss_tiff


@pytest.mark.corpus
@pytest.mark.parametrize("source, renamed, extractor", [
    ("rsciio/test_STEM_image.dm3", "IMAGE.DM3", "dm"),
    ("rsciio/FEI-Helios-Ebeam-8bits.tif", "helios.Tif", "tiff_fei"),
    ("rsciio/test_tiff_Zeiss_SEM_512pix.tif", "zeiss.TIFF", "tiff_zeiss"),
])
def test_it_picks_by_extension_in_any_case(tmp_path, source, renamed, extractor):
    path = tmp_path / renamed
    shutil.copy(corpus_file(source), path)
    extraction = extract(path)
    assert extraction.extractor == extractor
    assert extraction.error is None and extraction.warnings == ()


@pytest.mark.parametrize("make, extractor", [(make_fei_tiff, "tiff_fei"), (make_zeiss_tiff, "tiff_zeiss"),
                                             (make_imagej_tiff, "tiff")])
def test_it_sends_each_tiff_to_the_reader_of_its_vendor(tmp_path, make, extractor):
    assert extract(make(tmp_path, name="image.tif")).extractor == extractor


def test_it_flags_a_png_named_dm3_and_still_reads_it(tmp_path):
    path = tmp_path / "scan.dm3"
    make_image(tmp_path, "png", name="scan.dm3")
    extraction = extract(path)
    message = "the name says .dm3 (DigitalMicrograph) but the content is PNG/JPEG/GIF/BMP image"
    assert extraction.error.startswith(message)
    assert extraction.warnings[0].startswith(message)
    assert extraction.extractor == "image"
    assert extraction.metadata["dimensions"][0]["size"] == 60


@pytest.mark.corpus
def test_it_reports_the_jpg_that_is_really_a_tia_series():
    extraction = extract(corpus_file("nexuslims/unreadable_image.jpg"))
    assert extraction.error == ("the name says .jpg (PNG/JPEG/GIF/BMP image) but the content is TIA SER; "
                                "read as TIA SER")
    assert [axis["size"] for axis in extraction.metadata["dimensions"]] == [1024, 1024]


def test_it_reports_an_empty_file(tmp_path):
    path = tmp_path / "empty.dm3"
    path.touch()
    extraction = extract(path)
    assert extraction.error == "the file is empty (0 bytes)"
    assert extraction.metadata["size"] == 0


def test_it_reports_a_missing_file(tmp_path):
    extraction = extract(tmp_path / "missing.dm4")
    assert extraction.error == "cannot open the file: No such file or directory"


def test_it_turns_a_reader_failure_into_an_error_with_the_file_facts(tmp_path):
    path = tmp_path / "broken.dm3"
    path.write_bytes(b"\x00\x00\x00\x03" + b"\xff" * 60)
    extraction = extract(path)
    assert extraction.error.startswith("DigitalMicrograph reader failed:")
    assert extraction.metadata["size"] == 64


def test_it_falls_back_to_basic_for_unknown_files(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)))
    extraction = extract(path)
    assert (extraction.extractor, extraction.error, extraction.metadata["size"]) == ("basic", None, 256)


def test_the_registry_lists_basic_last():
    assert MODULES[-1] == "basic"


def test_an_emsa_export_named_txt_is_read_as_emsa_without_complaint(tmp_path):
    from tests.data.make_msa import make_msa

    extraction = extract(make_msa(tmp_path, name="export.txt"))
    assert (extraction.extractor, extraction.error) == ("msa", None)
    assert extraction.metadata["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
