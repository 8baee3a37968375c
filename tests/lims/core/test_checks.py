"""System checks refuse public DEBUG, the default key in production, no workers and a read-only DATA_ROOT."""
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from lims.core import checks

REPO = Path(__file__).resolve().parents[3]
SQLITE = {"ENGINE": "django.db.backends.sqlite3"}
POSTGRES = {"ENGINE": "django.db.backends.postgresql"}


def _ids(messages) -> list[str]:
    return sorted(message.id for message in messages if message.id.startswith("lims."))


@pytest.fixture
def databases(settings, monkeypatch):
    """Swap only the engine name the checks read; it is put back after the test."""
    def use(db):
        monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", db["ENGINE"])
    return use


@pytest.mark.parametrize(("debug", "hosts", "expected"), [
    (True, ["lims.example.org"], ["lims.E001"]),
    (True, ["*"], ["lims.E001"]),
    (True, ["localhost", "127.0.0.1", "[::1]", "testserver"], []),
    (False, ["lims.example.org"], []),
])
def test_debug_is_refused_beyond_localhost(settings, debug, hosts, expected):
    settings.DEBUG, settings.ALLOWED_HOSTS = debug, hosts

    assert _ids(checks.check_debug_is_local()) == expected


def test_the_debug_error_names_the_public_hosts(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["localhost", "lims.example.org", "*"]

    [error] = checks.check_debug_is_local()

    assert error.msg == "DEBUG is on while the site answers for *, lims.example.org."


@pytest.mark.parametrize(("key", "debug", "db", "expected"), [
    ("insecure-dev-key-change-me", False, POSTGRES, ["lims.E002"]),
    ("insecure-dev-key-change-me", True, POSTGRES, []),
    ("insecure-dev-key-change-me", False, SQLITE, []),
    ("a-long-random-production-key-0123456789", False, POSTGRES, []),
])
def test_the_default_secret_key_is_refused_in_production(settings, databases, key, debug, db, expected):
    settings.SECRET_KEY, settings.DEBUG = key, debug
    databases(db)

    assert _ids(checks.check_secret_key_is_set()) == expected


@pytest.mark.parametrize(("eager", "db", "expected"), [
    (True, POSTGRES, ["lims.W001"]),
    (False, POSTGRES, []),
    (True, SQLITE, []),
])
def test_in_process_tasks_on_postgresql_are_warned_about(settings, databases, eager, db, expected):
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    databases(db)

    messages = checks.check_workers_configured()

    assert _ids(messages) == expected
    assert all(not message.is_serious() for message in messages)


def test_a_data_root_still_to_be_created_under_a_writable_folder_passes(settings, tmp_path):
    settings.DATA_ROOT = tmp_path / "not" / "yet" / "there"

    assert checks.check_data_root_writable() == []
    assert not (tmp_path / "not").exists()


def _as_an_ordinary_user() -> list[str]:
    """Command prefix that takes away root's right to write anywhere (root ignores folder modes)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root can write into read-only folders")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def test_manage_py_check_refuses_a_read_only_data_root(tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env["DATA_ROOT"] = str(read_only / "data")
    try:
        done = subprocess.run([*_as_an_ordinary_user(), sys.executable, "manage.py", "check"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
    finally:
        read_only.chmod(stat.S_IRWXU)

    assert done.returncode == 1
    assert (f"(lims.E003) DATA_ROOT {read_only / 'data'} is not writable: "
            f"its parent {read_only} is not a writable folder.") in done.stderr
    assert not (read_only / "data").exists()


def test_a_data_root_that_is_a_file_is_refused(settings, tmp_path):
    a_file = tmp_path / "store"
    a_file.write_text("not a folder")
    settings.DATA_ROOT = a_file

    [error] = checks.check_data_root_writable()

    assert error.id == "lims.E003"
    assert error.msg == f"DATA_ROOT {a_file} is not writable: it is not a writable folder."


def test_the_checks_are_registered_with_django(settings, databases, tmp_path):
    settings.DEBUG, settings.ALLOWED_HOSTS = True, ["lims.example.org"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DATA_ROOT = tmp_path / "store"
    (tmp_path / "store").write_text("a file")
    databases(POSTGRES)

    assert _ids(run_checks()) == ["lims.E001", "lims.E003", "lims.W001"]


@pytest.mark.parametrize("url", ["bucket/prefix", "s3://", "https://s3.example.org/bucket"])
def test_a_storage_url_naming_no_bucket_is_an_error(settings, url):
    settings.STORAGE_URL = url

    [error] = checks.check_storage_url()

    assert error.id == "lims.E004"
    assert "is not of the form s3://bucket/prefix" in error.msg


@pytest.mark.parametrize("url", ["", "s3://bucket", "s3://bucket/facility/lims"])
def test_an_empty_or_s3_storage_url_passes(settings, url):
    settings.STORAGE_URL = url
    assert checks.check_storage_url() == []
