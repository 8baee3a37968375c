"""`backup` and `restore` on the embedded SQLite default: records made by `ingest` come back whole into a
fresh database file and data root, every row of every table, every file and hash."""
import contextlib
import os
import sqlite3

from tests.data.make_session_files import png_bytes, tiff_bytes
from tests.lims.operations.installation import manage, stored_files

AUDITS = "operations_fixityaudit"
COUNTERS = "sqlite_sequence"  # the restore's own audit moves its counter


def _env(tmp_path, name: str) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3", "DATA_ROOT": str(tmp_path / name),
           "CELERY_BROKER_URL": "", "CACHE_URL": ""}
    for variable in ("CELERY_TASK_ALWAYS_EAGER", "SECRET_KEY", "DATABASE_URL_FILE"):
        env.pop(variable, None)
    return env


def _tables(path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def _ok(done):
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_restored_sqlite_installation_has_every_row_file_and_hash(tmp_path):
    folder = tmp_path / "old-data"
    folder.mkdir()
    (folder / "a.tif").write_bytes(tiff_bytes(1))
    (folder / "b.png").write_bytes(png_bytes(2))
    (folder / "c.txt").write_bytes(b"notes\n")
    live, fresh = _env(tmp_path, "live"), _env(tmp_path, "fresh")
    _ok(manage("migrate", "--noinput", env=live))
    _ok(manage("add_instrument", "titan", "--name", "FEI Titan", "--hostname", "TITAN-PC", env=live))
    _ok(manage("ingest", folder, "--instrument", "titan", "--user", "alice", env=live))
    _ok(manage("backup", tmp_path / "backups", env=live))

    done = _ok(manage("restore", tmp_path / "backups", env=fresh))

    assert "0 missing, 0 changed, 0 unreferenced" in done.stdout
    before, after = _tables(tmp_path / "live.sqlite3"), _tables(tmp_path / "fresh.sqlite3")
    assert len(before["lims_records_record"]) == 1
    assert [name for name in before if name not in (AUDITS, COUNTERS) and before[name] != after.get(name)] == []
    assert len(after[AUDITS]) == 1
    files = stored_files(tmp_path / "live")
    assert len([path for path in files if path.startswith("previews/")]) == 3
    assert stored_files(tmp_path / "fresh") == files
