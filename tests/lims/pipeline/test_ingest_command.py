"""`manage.py ingest`: existing folders become sessions with built records; a second run changes nothing."""
import os
from datetime import datetime, timedelta, timezone
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lims.records.models import Record
from lims.sessions.models import DataFile, Session

from tests.data.make_session_files import png_bytes, tiff_bytes

T0 = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc).timestamp()


def _write(folder, name, content, at):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (at, at))
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "old-data" / "2024-06-01"
    _write(root, "a.tif", tiff_bytes(1), T0)
    _write(root, "b.png", png_bytes(2), T0 + 60)
    _write(root, "sub/c.txt", b"notes\n", T0 + 120)
    return root


def _ingest(*args, **options):
    out = StringIO()
    call_command("ingest", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_it_imports_a_folder_builds_its_record_and_prints_id_and_url(cast, folder):
    out = _ingest(str(folder), instrument="titan", user="alice")
    session = Session.objects.get()
    assert str(session.pk) in out
    record = Record.objects.get(session=session)
    assert f"/records/{record.pk}/" in out
    assert session.state == Session.State.COMPLETED
    assert session.account == cast.alice  # linked to the account of that username
    assert session.start == datetime.fromtimestamp(T0, tz=timezone.utc)
    assert session.end == datetime.fromtimestamp(T0 + 120, tz=timezone.utc)
    assert sorted(DataFile.objects.values_list("relative_path", flat=True)) == ["a.tif", "b.png", "sub/c.txt"]
    assert (session.storage_dir / "sub" / "c.txt").read_bytes() == b"notes\n"


def test_running_it_twice_changes_nothing(cast, folder):
    _ingest(str(folder), instrument="titan", user="alice")
    record = Record.objects.get()
    out = _ingest(str(folder), instrument="titan", user="alice")
    assert "already" in out
    assert Session.objects.count() == 1 and Record.objects.count() == 1
    assert Record.objects.get().built == record.built


def test_explicit_times_win_over_file_times(cast, folder):
    _ingest(str(folder), instrument="titan", user="bob", start="2024-06-01T07:00", end="2024-06-01T12:00")
    session = Session.objects.get()
    assert session.start.isoformat() == "2024-06-01T07:00:00+00:00"
    assert session.end.isoformat() == "2024-06-01T12:00:00+00:00"
    assert session.account == cast.bob


def test_a_tree_gives_one_session_per_folder(cast, tmp_path):
    root = tmp_path / "tree"
    _write(root / "day1", "x.tif", tiff_bytes(3), T0)
    _write(root / "day2", "y.tif", tiff_bytes(4), T0 + 86400)
    out = _ingest(str(root), instrument="quanta", user="someone", tree=True)
    assert Session.objects.count() == 2
    assert Record.objects.count() == 2
    assert "2 sessions: 2 imported" in out
    assert Session.objects.filter(account=None).count() == 2  # no account called "someone"


def test_a_folder_splits_at_long_gaps(cast, tmp_path):
    root = tmp_path / "split"
    for i in range(3):
        _write(root, f"m{i}.tif", tiff_bytes(i, 16), T0 + i * 60)
        _write(root, f"n{i}.tif", tiff_bytes(10 + i, 16), T0 + 5 * 3600 + i * 60)
    _ingest(str(root), instrument="titan", user="alice", split_gap=60)
    assert Session.objects.count() == 2
    assert sorted(s.files.count() for s in Session.objects.all()) == [3, 3]


@pytest.mark.parametrize(
    "args, options, message",
    [
        (["/does/not/exist"], {"instrument": "titan", "user": "alice"}, "is not a folder"),
        (["FOLDER"], {"instrument": "nope", "user": "alice"}, "no instrument with PID 'nope'"),
        (["FOLDER"], {"instrument": "titan", "user": "alice", "start": "yesterday"}, "not a date"),
        (["FOLDER"], {"instrument": "titan", "user": "alice", "start": "2024-06-02", "end": "2024-06-01"}, "before"),
    ],
)
def test_bad_usage_says_what_is_wrong(cast, folder, args, options, message):
    args = [str(folder) if a == "FOLDER" else a for a in args]
    with pytest.raises(CommandError, match=message):
        _ingest(*args, **options)
    assert Session.objects.count() == 0


def test_an_empty_folder_is_refused(cast, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no files"):
        _ingest(str(tmp_path / "empty"), instrument="titan", user="alice")


def test_a_name_without_an_account_gets_a_warning_saying_who_sees_the_record(cast, folder):
    err = StringIO()
    call_command("ingest", str(folder), instrument="titan", user="dora", stdout=StringIO(), stderr=err)
    assert "no account is named 'dora', so the record is visible to staff only" in err.getvalue()
    assert "record page (Visibility)" in err.getvalue()
    assert Session.objects.get().account is None
    err = StringIO()
    call_command("ingest", str(folder), instrument="titan", user="alice", tree=True, stdout=StringIO(), stderr=err)
    assert "no account" not in err.getvalue()
