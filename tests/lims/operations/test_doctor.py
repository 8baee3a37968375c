"""`manage.py doctor`: each check fails for real (a broker that is not there, no worker, no scheduler, a data
root that cannot be written, a full disk, a refusing mail server, weak keys, inconsistent addresses, cookies
sent in clear) and says how to fix it; a healthy installation passes."""
import os

import pytest
import redis
from django.core.management import CommandError, call_command
from django.db import connection

from lims.operations import doctor
from tests.live import free_port, run_celery_beat, run_celery_worker, server_env, wait_for
from tests.lims.operations.installation import manage

BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
STRONG_KEY = "k3Y-" + "x9Qz7Lm2Vb" * 6


def _finding(findings, name) -> doctor.Finding:
    return next(finding for finding in findings if finding.name == name)


@pytest.fixture
def live_env(transactional_db, tmp_path):
    redis.Redis.from_url(BROKER_URL).flushdb()
    return server_env(connection.settings_dict, broker_url=BROKER_URL, data_root=tmp_path / "data",
                      SECRET_KEY=STRONG_KEY, SWEEP_INTERVAL_SECONDS=2)


@pytest.mark.live
def test_a_healthy_installation_passes(live_env, tmp_path):
    with run_celery_worker(live_env, log_dir=tmp_path), run_celery_beat(live_env, tmp_path / "beat"):
        wait_for(lambda: redis.Redis.from_url(BROKER_URL).keys("*health:last-sweep"), 60, what="the first sweep")
        done = manage("doctor", env=live_env)

    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("database", "broker", "workers", "scheduler", "data root", "SECRET_KEY", "SITE_URL", "TLS"):
        assert f"[ok] {name}:" in done.stdout
    assert "[WARNING] e-mail: no EMAIL_URL" in done.stdout


@pytest.mark.live
def test_a_broker_that_is_not_there_fails(live_env):
    live_env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    live_env["CACHE_URL"] = BROKER_URL

    done = manage("doctor", env=live_env)

    assert done.returncode != 0
    assert "[ERROR] broker: the broker at CELERY_BROKER_URL does not answer" in done.stdout
    assert "fix: Check CELERY_BROKER_URL" in done.stdout
    assert "checks failed: broker, workers, scheduler" in done.stderr


@pytest.mark.live
def test_no_worker_and_no_scheduler_fail(live_env):
    done = manage("doctor", env=live_env)

    assert done.returncode != 0
    assert "[ok] broker:" in done.stdout
    assert "[ERROR] workers: no worker: no worker answered" in done.stdout
    assert "[ERROR] scheduler: no recent heartbeat of the scheduler: no sweep has run yet" in done.stdout


def test_a_data_root_that_cannot_be_written_fails(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    settings.DATA_ROOT = blocker / "data"

    found = doctor.data_root()

    assert found.status == doctor.ERROR
    assert "cannot write in DATA_ROOT" in found.detail and "writable folder" in found.fix


def test_a_data_root_without_the_free_space_asked_for_fails(settings):
    free_gb = os.statvfs(settings.DATA_ROOT).f_bavail * os.statvfs(settings.DATA_ROOT).f_frsize / 1024**3
    settings.DATA_ROOT_MIN_FREE_GB = int(free_gb) + 100

    found = doctor.data_root()

    assert found.status == doctor.ERROR
    assert "GiB free" in found.detail
    settings.DATA_ROOT_MIN_FREE_GB = 0
    assert doctor.data_root().status == doctor.OK


def _smtp(settings, port):
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_a_mail_server_that_refuses_fails_and_one_that_answers_passes(settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    _smtp(settings, free_port())
    refused = doctor.email()
    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        _smtp(settings, controller.port)
        answered = doctor.email()
    finally:
        controller.stop()

    assert refused.status == doctor.ERROR and "Check EMAIL_URL" in refused.fix
    assert answered.status == doctor.OK


@pytest.mark.parametrize("key, why", [("insecure-dev-key-change-me", "built-in development key"),
                                      ("short-but-random-Zq81", "21 characters"), ("ab" * 40, "2 different")])
def test_a_weak_secret_key_fails(settings, key, why):
    settings.SECRET_KEY = key

    found = doctor.secret_key()

    assert found.status == doctor.ERROR and why in found.detail
    settings.SECRET_KEY = STRONG_KEY
    assert doctor.secret_key().status == doctor.OK


def test_a_site_url_that_allowed_hosts_refuse_fails(settings):
    settings.SITE_URL, settings.ALLOWED_HOSTS = "https://lims.example.org", ["other.example.org", "localhost"]

    found = doctor.site_address()

    assert found.status == doctor.ERROR and "Add lims.example.org to ALLOWED_HOSTS" in found.fix
    settings.ALLOWED_HOSTS = [".example.org"]
    assert doctor.site_address().status == doctor.OK


def test_https_without_secure_cookies_fails(settings):
    settings.SITE_URL, settings.ALLOWED_HOSTS = "https://lims.example.org", ["lims.example.org"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False

    found = doctor.secure_cookies()

    assert found.status == doctor.ERROR and found.fix == "Set SECURE_COOKIES=true."
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert doctor.secure_cookies().status == doctor.OK


def test_the_command_exits_non_zero_naming_what_failed(db, settings, capsys):
    settings.SECRET_KEY = "weak"

    with pytest.raises(CommandError, match="SECRET_KEY"):
        call_command("doctor")

    assert "fix: Set SECRET_KEY" in capsys.readouterr().out
