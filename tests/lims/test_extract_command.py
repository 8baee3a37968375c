"""`manage.py extract`: one JSON line per file, errors as lines, bad usage as CommandError."""
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import REPO, corpus_file
from tests.data.make_msa import make_msa
from tests.data.make_tiff import make_fei_tiff

BRIEF_KEYS = {"path", "format", "extractor", "metadata", "warnings", "preview", "error"}


def _lines(*args) -> list[dict]:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_prints_one_json_object_per_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_fei_tiff(folder)
    make_msa(folder)
    lines = _lines(str(folder), "--json", "--preview-dir", str(tmp_path / "previews"))
    assert [line["extractor"] for line in lines] == ["tiff_fei", "msa"]
    fei = lines[0]
    assert BRIEF_KEYS <= set(fei) and "original_metadata" not in fei
    assert fei["metadata"]["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
    assert fei["preview"] == str(tmp_path / "previews" / "fei.tif.png")
    assert (tmp_path / "previews" / "fei.tif.png").stat().st_size > 100
    assert fei["error"] is None and fei["warnings"] == []


def test_a_missing_path_is_an_error_line_not_a_crash(tmp_path):
    lines = _lines(str(make_msa(tmp_path)), str(tmp_path / "missing.dm3"), "--json")
    assert lines[0]["error"] is None
    assert lines[1]["error"] == "cannot open the file: No such file or directory"
    assert lines[1]["preview"] is None


def test_original_metadata_only_on_request(tmp_path):
    line = _lines(str(make_msa(tmp_path)), "--json", "--original")[0]
    assert line["original_metadata"]["keywords"]["BEAMKV"] == "15.0"
    assert line["original_metadata"]["units"]["BEAMKV"] == "kV"


def test_without_json_it_prints_a_readable_table(tmp_path):
    out = StringIO()
    call_command("extract", str(make_fei_tiff(tmp_path)), stdout=out)
    first, summary = out.getvalue().splitlines()
    assert "[FEI TIFF]  image  15 kV  2.5 nm" in first and first.endswith("ok")
    assert summary == "1 file(s), 0 with errors"


def test_no_paths_is_bad_usage():
    with pytest.raises(CommandError, match="at least one file or folder"):
        call_command("extract", "--json")


def test_a_preview_dir_that_is_a_file_is_bad_usage(tmp_path):
    clash = tmp_path / "afile"
    clash.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("extract", str(make_msa(tmp_path)), "--preview-dir", str(clash))


def test_the_exit_status_is_zero_when_only_some_files_fail(tmp_path):
    empty = tmp_path / "empty.dm3"
    empty.touch()
    done = subprocess.run([sys.executable, "manage.py", "extract", str(empty), str(make_msa(tmp_path)), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["error"] for line in lines] == ["the file is empty (0 bytes)", None]


def test_bad_usage_exits_non_zero():
    done = subprocess.run([sys.executable, "manage.py", "extract", "--json"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "at least one file or folder" in done.stderr


@pytest.mark.corpus
def test_a_real_dm4_comes_out_with_its_dimensions(tmp_path):
    line = _lines(str(corpus_file("rsciio/EELS_SI.dm4")), "--json", "--preview-dir", str(tmp_path))[0]
    assert [axis["size"] for axis in line["metadata"]["dimensions"]] == [2, 2, 2048]
    assert line["metadata"]["signal_type"] == "spectrum_image"
