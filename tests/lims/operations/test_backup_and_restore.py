"""`backup` and `restore` on PostgreSQL: a live installation with records comes back whole into a fresh
database and data root, every row, file and hash; a second backup copies only what changed."""
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from lims.operations.backup import OBJECTS, backup, files_of, object_path
from lims.operations.models import FixityAudit
from lims.records import pipeline
from lims.records.models import Record
from lims.sessions.models import DataFile
from tests.data.make_session_files import T0
from tests.lims.operations.installation import manage, stored_files, table_rows

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restored_installation_has_every_row_file_and_hash(installation, restore_env, fresh_database, tmp_path):
    env, restored_root = restore_env
    call_command("backup", tmp_path / "backups")

    done = manage("restore", tmp_path / "backups", env=env)

    assert done.returncode == 0, done.stderr
    assert "0 missing, 0 changed, 0 unreferenced" in done.stdout
    audits = FixityAudit._meta.db_table
    before, after = table_rows(connection.settings_dict, {audits}), table_rows(fresh_database, {audits})
    assert sorted(after) == sorted(before)
    assert [table for table in before if before[table] != after[table]] == []
    assert len(after[Record._meta.db_table]) == 2
    assert DataFile.objects.exclude(preview="").count() >= 4  # previews were built, and compared below
    original = stored_files(settings.DATA_ROOT)
    assert stored_files(restored_root) == original
    recorded = {row.absolute_path.relative_to(settings.DATA_ROOT).as_posix(): row.sha256
                for row in DataFile.objects.select_related("session__instrument")}
    assert {path: original[path] for path in recorded} == recorded
    [audit] = table_rows(fresh_database)[audits]  # the restore's own audit, in the restored database
    xml_bytes = sum((settings.DATA_ROOT / record.xml_key).stat().st_size for record in Record.objects.all())
    assert audit[3:9] == (None, 5 + 2, sum(f.size for f in DataFile.objects.all()) + xml_bytes, 0, 0, 0)


def test_a_second_backup_copies_only_the_new_files(installation, make_session, cast, tmp_path):
    dest = tmp_path / "backups"
    first = backup(dest)
    held = {path: path.stat().st_mtime_ns for path in (dest / OBJECTS).rglob("*") if path.is_file()}
    later = make_session(cast.titan, {"late.txt": b"a file that came later\n"}, times=[T0.replace(day=5)])
    pipeline.build_now(str(later.pk))

    second = backup(dest)

    assert first.copied == first.files == len(held)
    before = {line["sha256"] for line in files_of(first.folder)}
    new = [line for line in files_of(second.folder) if line["sha256"] not in before]
    # the late file, its preview and its record's XML
    assert sorted(line["kind"] for line in new) == ["data", "preview", "record"]
    assert (second.copied, second.reused, second.files) == (3, first.files, first.files + 3)
    assert second.copied_bytes == sum(line["size"] for line in new)
    assert {path: path.stat().st_mtime_ns for path in held} == held  # nothing held was written again


def test_it_refuses_to_restore_into_an_installation_holding_data(installation, tmp_path):
    call_command("backup", tmp_path / "backups")

    with pytest.raises(CommandError, match="already holds people, instruments or sessions"):
        call_command("restore", tmp_path / "backups")

    assert Record.objects.count() == 2


def test_it_refuses_a_data_root_holding_files(restore_env, installation, tmp_path):
    env, restored_root = restore_env
    call_command("backup", tmp_path / "backups")
    (restored_root / "titan").mkdir(parents=True)
    (restored_root / "titan" / "left-over.tif").write_bytes(b"x")

    done = manage("restore", tmp_path / "backups", env=env)

    assert done.returncode != 0
    assert "already holds files" in done.stderr
    assert sorted(p.name for p in restored_root.rglob("*")) == ["left-over.tif", "titan"]


def test_a_backup_names_a_stored_file_that_is_missing(installation, tmp_path):
    lost = DataFile.objects.get(relative_path="b.png")
    lost.absolute_path.unlink()

    with pytest.raises(CommandError, match="1 files are missing"):
        call_command("backup", tmp_path / "backups")

    manifest = json.loads(next((tmp_path / "backups" / "sets").iterdir()).joinpath("manifest.json").read_text())
    assert manifest["missing"] == [lost.absolute_path.relative_to(settings.DATA_ROOT).as_posix()]


def test_a_backup_missing_a_stored_object_is_refused_before_anything_changes(installation, restore_env, tmp_path):
    env, restored_root = restore_env
    result = backup(tmp_path / "backups")
    lost = next(files_of(result.folder))
    object_path(tmp_path / "backups", lost["sha256"]).unlink()

    done = manage("restore", result.folder, env=env)

    assert done.returncode != 0
    assert f"1 files of this backup are not in {tmp_path / 'backups' / OBJECTS}, e.g. {lost['path']}" in done.stderr
    assert not restored_root.exists()


def test_it_restores_into_a_freshly_migrated_database(installation, restore_env, fresh_database, tmp_path):
    env, _restored_root = restore_env
    assert manage("migrate", "--noinput", env=env).returncode == 0
    call_command("backup", tmp_path / "backups")

    done = manage("restore", tmp_path / "backups", env=env)

    assert done.returncode == 0, done.stderr
    audits = FixityAudit._meta.db_table
    assert table_rows(fresh_database, {audits}) == table_rows(connection.settings_dict, {audits})


def test_a_file_of_two_signals_keeps_both_previews_through_backup_and_restore(restore_env, tmp_path, cast,
                                                                              make_session):
    from tests.data.make_dm import make_two_image_dm

    env, restored_root = restore_env
    folder = tmp_path / "session"
    folder.mkdir()
    made = make_two_image_dm(folder)
    pipeline.build_now(str(make_session(cast.titan, {made.name: made.read_bytes()}).pk))
    main = DataFile.objects.get().preview
    further = main.replace(".png", ".1.png")
    assert (settings.DATA_ROOT / further).is_file()

    result = backup(tmp_path / "backups")
    done = manage("restore", tmp_path / "backups", env=env)

    assert sorted(line["path"] for line in files_of(result.folder) if line["kind"] == "preview") == sorted([main, further])
    assert done.returncode == 0, done.stderr
    assert (restored_root / further).read_bytes() == (settings.DATA_ROOT / further).read_bytes()
