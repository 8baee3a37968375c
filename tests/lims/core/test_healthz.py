"""/healthz reports database, broker and workers as JSON, in-process and through a real gunicorn and Redis."""
import json
import os
import signal
import uuid

import pytest
from django.db import connection

from tests.live import (
    ProcessExited, free_port, http_get, run_celery_worker, run_gunicorn, server_env, wait_for,
)

BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")


def _healthz(server) -> tuple[int, dict]:
    status, body = http_get(f"{server.url}/healthz")
    return status, json.loads(body)


def test_it_is_healthy_in_process_with_nothing_but_the_database(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True},
        "broker": {"ok": True, "mode": "in-process"},
        "workers": {"ok": True, "mode": "in-process"},
    }


def test_it_needs_no_login_and_is_never_cached(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.live
def test_it_reports_a_reachable_broker_with_no_worker(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, broker_url=BROKER_URL, data_root=tmp_path / "data")

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = _healthz(server)

    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["workers"]["ok"] is False
    assert body["workers"]["count"] == 0
    assert body["workers"]["error"] == "no worker answered"


@pytest.mark.live
def test_it_counts_a_running_worker(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, broker_url=BROKER_URL, data_root=tmp_path / "data")
    name = f"healthz-{uuid.uuid4().hex[:8]}@localhost"

    with run_celery_worker(env, hostname=name, log_dir=tmp_path), \
            run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = wait_for(lambda: (got := _healthz(server))[1]["workers"]["ok"] and got,
                                timeout=30, what="the worker to answer /healthz")

    assert status == 200
    assert body["workers"] == {"ok": True, "count": 1, "names": [name]}


@pytest.mark.live
def test_it_answers_503_when_the_broker_is_unreachable(transactional_db, tmp_path):
    closed = f"redis://127.0.0.1:{free_port()}/6"
    env = server_env(connection.settings_dict, broker_url=closed, data_root=tmp_path / "data")

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = _healthz(server)

    assert status == 503
    assert body["status"] == "error"
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is False
    assert body["workers"] == {"ok": False, "error": "broker unreachable"}


@pytest.mark.live
def test_it_sees_a_killed_worker_go_and_a_restarted_one_come_back(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, broker_url=BROKER_URL, data_root=tmp_path / "data")
    name = f"healthz-{uuid.uuid4().hex[:8]}@localhost"

    def workers(server) -> list[str]:
        return _healthz(server)[1]["workers"].get("names", [])

    with run_celery_worker(env, hostname=name, log_dir=tmp_path) as worker, \
            run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        wait_for(lambda: workers(server) == [name], timeout=30, what="the worker to answer")
        worker.kill(signal.SIGKILL)
        gone = workers(server)
        worker.restart()
        back = wait_for(lambda: workers(server), timeout=30, what="the restarted worker to answer")

    assert gone == []
    assert back == [name]


@pytest.mark.live
def test_it_answers_503_when_the_database_is_unreachable(transactional_db, tmp_path):
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/lims"
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", DATABASE_URL=closed)

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = _healthz(server)

    assert status == 503
    assert body["status"] == "error"
    assert body["database"]["ok"] is False
    assert "connection" in body["database"]["error"]
    assert body["broker"] == {"ok": True, "mode": "in-process"}


@pytest.mark.live
def test_a_process_that_dies_at_start_fails_at_once_with_its_log(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", DJANGO_SETTINGS_MODULE="lims.absent")

    with pytest.raises(RuntimeError) as failure:
        with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path):
            pass

    assert "gunicorn did not start: gunicorn exited with status" in str(failure.value)
    assert "No module named 'lims.absent'" in str(failure.value)
    assert not isinstance(failure.value, ProcessExited)
