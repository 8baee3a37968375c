"""`manage.py support_bundle`: versions, settings, doctor, health, problems and logs in one zip, and no secret."""
import json
import zipfile
from urllib.parse import quote

import pytest
from django.db import connection

from lims.operations.support import REDACTED, redact, scrub
from lims.sessions.models import Session
from tests.live import server_env
from tests.lims.operations.installation import manage

SECRET_KEY = "support-bundle-test-key-" + "Zx81Qp" * 6
DB_PASSWORD = "db-secret-789"
MAIL_PASSWORD = "mail-secret-123"
BROKER_PASSWORD = "broker-secret-456"


@pytest.fixture
def env(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", SECRET_KEY=SECRET_KEY,
                     EMAIL_URL=f"smtp://mailer:{MAIL_PASSWORD}@127.0.0.1:1/",
                     CELERY_BROKER_URL=f"redis://:{BROKER_PASSWORD}@127.0.0.1:6379/4", CACHE_URL="")
    # PostgreSQL here trusts local connections, so the password is carried without being needed.
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("postgres@", f"postgres:{quote(DB_PASSWORD)}@", 1)
    return env


def test_the_bundle_holds_everything_asked_for_and_no_secret(env, tmp_path, installation):
    Session.objects.filter(pk=installation[1].pk).update(state=Session.State.ERROR, error="the build broke")
    log = tmp_path / "web.log"
    log.write_text(f"started with SECRET_KEY={SECRET_KEY}\nconnecting to redis://:{BROKER_PASSWORD}@redis:6379/0\n"
                   "ERROR something went wrong\n")

    done = manage("support_bundle", tmp_path / "bundle.zip", "--log", log, env=env)

    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        texts = {name: bundle.read(name).decode() for name in bundle.namelist()}
    assert sorted(texts) == ["README.txt", "doctor.txt", "health.json", "logs/1-web.log", "problems.json",
                             "settings.json", "versions.json"]
    for secret in (SECRET_KEY, DB_PASSWORD, MAIL_PASSWORD, BROKER_PASSWORD):
        assert [name for name, text in texts.items() if secret in text] == []
    shown = json.loads(texts["settings.json"])
    assert shown["SECRET_KEY"] == REDACTED
    assert shown["DATABASES"]["default"]["PASSWORD"] == REDACTED
    assert shown["EMAIL_HOST_PASSWORD"] == REDACTED
    assert shown["CELERY_BROKER_URL"] == f"redis://:{REDACTED}@127.0.0.1:6379/4"
    assert shown["DATA_ROOT"] == str(tmp_path / "data")  # what is not secret stays readable
    assert json.loads(texts["versions.json"])["packages"]["Django"].startswith("5.")
    assert "[ERROR] workers:" in texts["doctor.txt"] and "[ok] SECRET_KEY" in texts["doctor.txt"]
    assert json.loads(texts["health.json"])["database"] == {"ok": True}
    problems = json.loads(texts["problems.json"])
    assert [s["error"] for s in problems["failed_sessions"]] == ["the build broke"]
    assert problems["extraction_errors"][0]["files"] == 1
    assert "ERROR something went wrong" in texts["logs/1-web.log"]


def test_a_missing_log_is_refused_naming_the_option(env, tmp_path):
    done = manage("support_bundle", tmp_path / "bundle.zip", "--log", tmp_path / "absent.log", env=env)

    assert done.returncode != 0
    assert "--log:" in done.stderr
    assert not (tmp_path / "bundle.zip").exists()


def test_redaction_masks_secret_names_and_url_passwords_only():
    assert redact({"API_TOKEN": "abc", "NAME": "lims", "URL": "https://u:p4ss@host/x", "LIST": [1, "a"]}) == {
        "API_TOKEN": REDACTED, "NAME": "lims", "URL": f"https://u:{REDACTED}@host/x", "LIST": [1, "a"]}
    assert scrub("key=s3cret-value and s3cret-value", {"s3cret-value"}) == f"key={REDACTED} and {REDACTED}"
