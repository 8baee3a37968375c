"""Settings read the environment strictly, run with nothing set, and every variable they read is documented."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lims.env import env_bool, env_int, env_list, env_secret

REPO = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (REPO / "lims" / "settings.py").read_text()
VARIABLES = sorted(set(re.findall(r'env_(?:bool|int|list|secret)\(\s*"([A-Z0-9_]+)"', SETTINGS_SOURCE)))
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG, "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]), "EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "SECRET_KEY": settings.SECRET_KEY, "DATA_ROOT": str(settings.DATA_ROOT),
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS, "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "PROXY": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
}))
"""


@pytest.mark.parametrize(("raw", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), (" on ", True),
    ("false", False), ("0", False), ("no", False), ("Off", False),
])
def test_a_strict_bool_reads_true_and_false_words(monkeypatch, raw, expected):
    monkeypatch.setenv("LIMS_TEST_FLAG", raw)

    assert env_bool("LIMS_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled"])
def test_a_strict_bool_rejects_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("LIMS_TEST_FLAG", raw)

    with pytest.raises(ValueError, match=rf"^LIMS_TEST_FLAG='{raw}' is not a boolean \(use true or false\)$"):
        env_bool("LIMS_TEST_FLAG")


@pytest.mark.parametrize(("raw", "default", "expected"), [
    (None, True, True), ("", True, True), ("   ", False, False),
])
def test_an_unset_or_empty_bool_gives_the_default(monkeypatch, raw, default, expected):
    if raw is None:
        monkeypatch.delenv("LIMS_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("LIMS_TEST_FLAG", raw)

    assert env_bool("LIMS_TEST_FLAG", default) is expected


@pytest.mark.parametrize(("raw", "expected"), [(None, 60), ("", 60), ("5", 5), (" 42 ", 42), ("-3", -3)])
def test_an_int_is_read_or_defaulted(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("LIMS_TEST_NUMBER", raising=False)
    else:
        monkeypatch.setenv("LIMS_TEST_NUMBER", raw)

    assert env_int("LIMS_TEST_NUMBER", 60) == expected


@pytest.mark.parametrize("raw", ["ten", "1.5", "1e3"])
def test_an_int_rejects_non_integers_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("LIMS_TEST_NUMBER", raw)

    with pytest.raises(ValueError, match=rf"^LIMS_TEST_NUMBER='{raw}' is not an integer$"):
        env_int("LIMS_TEST_NUMBER", 60)


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ["default.example.org"]),
    ("", []),
    ("a.example.org", ["a.example.org"]),
    ("a.example.org, b.example.org,", ["a.example.org", "b.example.org"]),
    (" , ,", []),
])
def test_a_list_splits_on_commas_and_drops_empty_items(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("LIMS_TEST_HOSTS", raising=False)
    else:
        monkeypatch.setenv("LIMS_TEST_HOSTS", raw)

    assert env_list("LIMS_TEST_HOSTS", ["default.example.org"]) == expected


def test_a_secret_is_read_from_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret-from-a-file\n")
    monkeypatch.setenv("LIMS_TEST_SECRET", "from-the-variable")
    monkeypatch.setenv("LIMS_TEST_SECRET_FILE", str(secret))

    assert env_secret("LIMS_TEST_SECRET", "default") == "s3cret-from-a-file"


@pytest.mark.parametrize(("value", "expected"), [
    (None, "default"), ("", "default"), ("  ", "default"), ("from-the-variable", "from-the-variable"),
])
def test_a_secret_falls_back_to_the_variable_then_the_default(monkeypatch, value, expected):
    monkeypatch.delenv("LIMS_TEST_SECRET_FILE", raising=False)
    if value is None:
        monkeypatch.delenv("LIMS_TEST_SECRET", raising=False)
    else:
        monkeypatch.setenv("LIMS_TEST_SECRET", value)

    assert env_secret("LIMS_TEST_SECRET", "default") == expected


def test_a_missing_secret_file_fails_with_its_path(monkeypatch, tmp_path):
    monkeypatch.setenv("LIMS_TEST_SECRET_FILE", str(tmp_path / "absent"))

    with pytest.raises(FileNotFoundError, match="absent"):
        env_secret("LIMS_TEST_SECRET")


def _clean_env(**values: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if name.removesuffix("_FILE") not in VARIABLES and not name.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="lims.settings", PYTHONPATH=str(REPO), **values)
    return env


def _settings_in_subprocess(**values: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SHOW_SETTINGS], env=_clean_env(**values), cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_embedded_default_needs_nothing_set():
    shown = _settings_in_subprocess()

    assert shown["DEBUG"] is False
    assert shown["ENGINE"] == "django.db.backends.sqlite3"
    assert shown["DB_NAME"] == str(REPO / "var" / "lims.sqlite3")
    assert shown["EAGER"] is True
    assert shown["DATA_ROOT"] == str(REPO / "var" / "data")
    assert shown["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8000"]
    assert shown["PROXY"] is None


def test_production_values_come_from_the_environment(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("key-from-docker-secret\n")

    shown = _settings_in_subprocess(
        DATABASE_URL="postgres://lims:pw@db:5432/lims", CELERY_BROKER_URL="redis://redis:6379/0",
        SECRET_KEY_FILE=str(key_file), SITE_URL="https://lims.example.org/", ALLOWED_HOSTS="lims.example.org",
        TRUST_X_FORWARDED_PROTO="true", DATA_ROOT="/srv/lims/data",
    )

    assert shown["ENGINE"] == "django.db.backends.postgresql"
    assert shown["DB_NAME"] == "lims"
    assert shown["EAGER"] is False
    assert shown["SECRET_KEY"] == "key-from-docker-secret"
    assert shown["ALLOWED_HOSTS"] == ["lims.example.org", "127.0.0.1", "localhost"]
    assert shown["CSRF_TRUSTED_ORIGINS"] == ["https://lims.example.org"]
    assert shown["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["DATA_ROOT"] == "/srv/lims/data"


def test_a_bad_value_stops_the_program_naming_the_variable():
    done = subprocess.run([sys.executable, "-c", SHOW_SETTINGS], env=_clean_env(DEBUG="maybe"), cwd=REPO,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode != 0
    assert "ValueError: DEBUG='maybe' is not a boolean (use true or false)" in done.stderr


@pytest.mark.parametrize("document", [".env.example", "docs/configuration.md"])
def test_every_variable_read_by_the_settings_is_documented(document):
    text = (REPO / document).read_text()

    missing = [name for name in VARIABLES if not re.search(rf"\b{name}\b", text)]

    assert len(VARIABLES) >= 20
    assert missing == []
