"""`manage.py verify`: a fixity audit finds missing, changed and unreferenced files, exits non-zero for them,
and is kept for the overview; the scheduler runs it weekly."""
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from lims.operations import tasks
from lims.operations.models import FixityAudit
from lims.records.models import Record
from lims.sessions.models import DataFile
from tests.live import REPO

LONG_AGO = time.time() - 3 * 24 * 3600


def _relative(path) -> str:
    return path.relative_to(settings.DATA_ROOT).as_posix()


def test_a_healthy_installation_passes_and_the_audit_is_kept(installation, capsys):
    call_command("verify")

    audit = FixityAudit.objects.latest()
    assert audit.ok
    # the 5 data files and the 2 records' XML
    assert (audit.checked, audit.missing, audit.changed, audit.unreferenced) == (7, 0, 0, 0)
    xml_bytes = sum((settings.DATA_ROOT / record.xml_key).stat().st_size for record in Record.objects.all())
    assert audit.checked_bytes == sum(DataFile.objects.values_list("size", flat=True)) + xml_bytes
    assert "checked 7 files" in capsys.readouterr().out


def test_a_record_xml_that_changed_or_went_missing_is_reported(installation, capsys):
    first, second = (Record.objects.get(session=session) for session in installation)
    changed = settings.DATA_ROOT / first.xml_key
    content = changed.read_bytes()
    changed.write_bytes(content[:-2] + bytes([content[-2] ^ 1]) + content[-1:])
    (settings.DATA_ROOT / second.xml_key).unlink()

    with pytest.raises(CommandError, match="found problems"):
        call_command("verify")

    out = capsys.readouterr().out
    assert f"changed: {first.xml_key}" in out and f"missing: {second.xml_key}" in out


def test_it_reports_missing_changed_and_unreferenced_files(installation, capsys):
    changed = DataFile.objects.get(relative_path="a.tif").absolute_path
    content = changed.read_bytes()
    changed.write_bytes(content[:-1] + bytes([content[-1] ^ 1]))  # one bit flipped, as on a failing disk
    missing = DataFile.objects.get(relative_path="notes/c.txt").absolute_path
    missing.unlink()
    lost_preview = settings.DATA_ROOT / DataFile.objects.exclude(preview="").first().preview
    lost_preview.unlink()
    stray = installation[0].storage_dir / "stray.bin"
    stray.write_bytes(b"nobody refers to me")
    os.utime(stray, (LONG_AGO, LONG_AGO))

    with pytest.raises(CommandError, match="found problems"):
        call_command("verify")

    out = capsys.readouterr().out
    assert f"changed: {_relative(changed)}" in out
    assert f"missing: {_relative(missing)}" in out
    assert f"missing: {_relative(lost_preview)}" in out
    assert f"unreferenced: {_relative(stray)}" in out
    audit = FixityAudit.objects.latest()
    assert (audit.missing, audit.changed, audit.unreferenced, audit.ok) == (2, 1, 1, False)
    assert {"kind": "changed", "path": _relative(changed)} in audit.problems


def test_a_file_placed_a_moment_ago_is_not_yet_unreferenced(installation):
    (installation[0].storage_dir / "arriving.tif").write_bytes(b"its row is not committed yet")

    call_command("verify")

    assert FixityAudit.objects.latest().unreferenced == 0


def test_since_rehashes_only_files_stored_since_then(installation, capsys):
    DataFile.objects.filter(relative_path__in=["a.tif", "b.png"]).update(created=timezone.now() - timedelta(days=30))
    old = DataFile.objects.get(relative_path="a.tif").absolute_path
    old.write_bytes(b"changed after the last audit that checked it")

    call_command("verify", "--since", (timezone.now() - timedelta(days=1)).date().isoformat())

    audit = FixityAudit.objects.latest()
    assert (audit.checked, audit.changed) == (3 + 2, 0)  # the files stored since then and the records built since
    assert audit.since is not None


def test_a_bad_since_is_refused_naming_the_option(db):
    with pytest.raises(CommandError, match="--since: 'last tuesday' is not a date"):
        call_command("verify", "--since", "last tuesday")
    assert not FixityAudit.objects.exists()


def test_the_worker_task_runs_the_audit(installation):
    audit_id = tasks.fixity_audit()

    assert FixityAudit.objects.get(pk=audit_id).ok


@pytest.mark.parametrize("crontab, expected", [("off", None), ("0 4 * * 1", "<crontab: 0 4 * * 1 (m/h/dM/MY/d)>")])
def test_the_scheduler_runs_it_as_configured(crontab, expected):
    code = ("from django.conf import settings; entry = settings.CELERY_BEAT_SCHEDULE.get('fixity-audit'); "
            "print(entry and (entry['task'], repr(entry['schedule'])))")
    env = {**os.environ, "FIXITY_AUDIT_CRONTAB": crontab, "DJANGO_SETTINGS_MODULE": "lims.settings"}
    done = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    wanted = None if expected is None else ("lims.operations.tasks.fixity_audit", expected)
    assert done.stdout.strip().splitlines()[-1] == str(wanted)


def test_by_default_it_runs_weekly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["fixity-audit"]["schedule"]
    assert schedule.day_of_week == {0} and schedule.hour == {3} and schedule.minute == {30}


def test_a_wrong_schedule_stops_the_start_naming_the_setting():
    env = {**os.environ, "FIXITY_AUDIT_CRONTAB": "every sunday", "DJANGO_SETTINGS_MODULE": "lims.settings"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "FIXITY_AUDIT_CRONTAB='every sunday' is not a crontab line" in done.stderr


def test_the_audit_task_is_never_delivered_twice():
    # A long audit outlasts the broker's visibility timeout; acknowledged late, it would run twice.
    assert tasks.fixity_audit.acks_late is False


def test_the_preview_of_a_further_signal_is_kept_with_its_main_one(installation):
    main = settings.DATA_ROOT / DataFile.objects.exclude(preview="").first().preview
    further = main.with_name(f"{main.stem}.1.png")
    further.write_bytes(b"the preview of a file's second signal")
    orphan = main.with_name(f"{'cd' * 32}.1.png")
    orphan.write_bytes(b"the second signal of no content")
    for path in (further, orphan):
        os.utime(path, (LONG_AGO, LONG_AGO))

    with pytest.raises(CommandError, match="found problems"):
        call_command("verify")

    assert FixityAudit.objects.latest().problems == [{"kind": "unreferenced", "path": _relative(orphan)}]
