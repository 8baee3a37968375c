"""`manage.py validate_record`: says which files are valid, names line and element of each problem."""
import io
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from records.activities import group
from records.model import Dataset, Experiment
from records.xml import build_record

REPO = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _record() -> bytes:
    dataset = Dataset(name="a.dm3", location="a.dm3", size=10, sha256="c" * 64, format="DigitalMicrograph 3",
                      signal_type="image", acquired=WHEN, metadata={"magnification": 5000})
    return build_record(Experiment(id="s-9", title="TEM of S-9", experimenter="alice", instrument_pid="titan",
                                   instrument_name="FEI Titan", start=WHEN, end=WHEN, activities=group([dataset])))


def _run(*files) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("validate_record", *[str(f) for f in files], stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def test_it_says_a_good_record_is_valid(tmp_path):
    good = tmp_path / "good.xml"
    good.write_bytes(_record())
    output, error = _run(good)
    assert output == f"{good}: valid\n"
    assert error is None


def test_it_names_the_line_and_element_of_a_broken_record_and_fails(tmp_path):
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(_record())
    broken = _record().replace(b"<mode>imaging</mode>", b"<mode>sightseeing</mode>")
    bad.write_bytes(broken)
    line = next(n for n, text in enumerate(broken.decode().splitlines(), start=1) if "sightseeing" in text)
    output, error = _run(good, bad)
    lines = output.splitlines()
    assert lines[0] == f"{good}: valid"
    assert lines[1].startswith(f"{bad}: line {line}: element mode: ")
    assert "'sightseeing' is not an element of the set" in lines[1]
    assert "1 of 2 file(s) invalid or unreadable" in str(error)


def test_it_reports_an_unreadable_file_and_fails(tmp_path):
    output, error = _run(tmp_path / "missing.xml")
    assert output == f"{tmp_path / 'missing.xml'}: cannot read: No such file or directory\n"
    assert error is not None


def test_it_reports_a_file_that_is_not_xml(tmp_path):
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x89PNG\r\n")
    output, error = _run(junk)
    assert output.startswith(f"{junk}: line 1: ")
    assert error is not None


def test_it_needs_at_least_one_file():
    with pytest.raises(CommandError, match="the following arguments are required: FILE"):
        call_command("validate_record")


def test_it_exits_non_zero_from_the_command_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(_record().replace(b"<size>10</size>", b"<size>x</size>"))
    done = subprocess.run([sys.executable, "manage.py", "validate_record", str(bad)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"{bad}: line" in done.stdout and "element size" in done.stdout
    assert "1 of 1 file(s) invalid or unreadable" in done.stderr
