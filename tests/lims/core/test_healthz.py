"""/healthz: status for anyone, each part's state for staff, broker and workers asked at most once per
HEALTH_CACHE_SECONDS; in-process and through a real gunicorn and Redis."""
import os
import signal
import uuid

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.live import ProcessExited, free_port, http_json, run_celery_worker, run_gunicorn, server_env, wait_for

BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
SWEEP_TASK = "lims.sessions.tasks.sweep_sessions"


@pytest.fixture
def broker():
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()  # no health answer cached by an earlier test
    return BROKER_URL


@pytest.fixture
def staff_token(transactional_db, django_user_model):
    staff = django_user_model.objects.create_user("monitor", password="monitor-password", is_staff=True)
    return Token.objects.create(user=staff).key


def _healthz(server, token=None) -> tuple[int, dict]:
    return http_json(f"{server.url}/healthz", token)


def test_it_tells_anyone_only_whether_the_site_is_healthy(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_shows_staff_every_part(client, db, settings, django_user_model):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(django_user_model.objects.create_user("admin", is_staff=True))

    response = client.get("/healthz")

    inline = {"ok": True, "mode": "in-process"}
    assert response.json() == {"status": "ok", "database": {"ok": True}, "broker": inline, "workers": inline,
                               "scheduler": inline}


def test_it_needs_no_login_and_is_never_cached(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.live
def test_it_reports_a_reachable_broker_with_no_worker_and_no_scheduler(broker, staff_token, tmp_path):
    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data")

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        anonymous = _healthz(server)
        status, body = _healthz(server, staff_token)

    assert anonymous == (200, {"status": "ok"})
    assert status == 200
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}
    assert body["workers"]["ok"] is False
    assert body["workers"]["error"] == "no worker answered"
    assert body["scheduler"] == {"ok": False, "error": "no sweep has run yet"}


@pytest.mark.live
def test_it_asks_the_workers_once_per_cache_period_not_per_call(broker, staff_token, tmp_path):
    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data",
                     HEALTH_CACHE_SECONDS=3600)
    name = f"healthz-{uuid.uuid4().hex[:8]}@localhost"

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        first = _healthz(server, staff_token)[1]
        with run_celery_worker(env, hostname=name, log_dir=tmp_path):
            again = [_healthz(server)[0] for _ in range(20)]
            cached = _healthz(server, staff_token)[1]

    # The worker started after the first answer: later calls read the kept answer, with no ping.
    assert first["workers"]["count"] == 0
    assert again == [200] * 20
    assert cached["workers"] == first["workers"]
    assert cached["checked"] == first["checked"]


@pytest.mark.live
def test_it_counts_a_running_worker_and_a_scheduler_that_swept(broker, staff_token, tmp_path):
    from celery import Celery

    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data",
                     HEALTH_CACHE_SECONDS=0)
    name = f"healthz-{uuid.uuid4().hex[:8]}@localhost"

    with run_celery_worker(env, hostname=name, log_dir=tmp_path), \
            run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = wait_for(lambda: (got := _healthz(server, staff_token))[1]["workers"]["ok"] and got,
                                timeout=30, what="the worker to answer /healthz")
        Celery(broker=broker, set_as_current=False).send_task(SWEEP_TASK)  # what beat sends
        scheduler = wait_for(lambda: (found := _healthz(server, staff_token)[1]["scheduler"])["ok"] and found,
                             timeout=30, what="the sweep to be seen")

    assert status == 200
    assert body["workers"] == {"ok": True, "count": 1, "names": [name]}
    assert set(scheduler) == {"ok", "last_sweep"}


@pytest.mark.live
def test_it_says_when_no_worker_reads_the_heavy_queue(broker, staff_token, tmp_path):
    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data",
                     HEALTH_CACHE_SECONDS=0)
    name = f"light-{uuid.uuid4().hex[:8]}@localhost"

    with run_celery_worker(env, hostname=name, queues="celery", log_dir=tmp_path), \
            run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = wait_for(lambda: (got := _healthz(server, staff_token))[1]["workers"]["count"] and got,
                                timeout=30, what="the worker to answer /healthz")

    assert status == 200  # the site serves; heavy files wait for a worker of their queue
    assert body["workers"] == {"ok": False, "count": 1, "names": [name], "error": "no worker reads the queue heavy"}


@pytest.mark.live
def test_it_answers_503_when_the_broker_is_unreachable(transactional_db, staff_token, tmp_path):
    closed = f"redis://127.0.0.1:{free_port()}/6"
    env = server_env(connection.settings_dict, broker_url=closed, data_root=tmp_path / "data")

    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        anonymous = _healthz(server)
        status, body = _healthz(server, staff_token)

    assert anonymous == (503, {"status": "error"})
    assert status == 503
    assert body["database"] == {"ok": True}
    assert body["broker"]["ok"] is False
    assert body["workers"] == {"ok": False, "error": "broker unreachable"}


@pytest.mark.live
def test_it_sees_a_killed_worker_go_and_a_restarted_one_come_back(broker, staff_token, tmp_path):
    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data",
                     HEALTH_CACHE_SECONDS=0)
    name = f"healthz-{uuid.uuid4().hex[:8]}@localhost"

    def workers(server) -> list[str]:
        return _healthz(server, staff_token)[1]["workers"].get("names", [])

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
    assert body == {"status": "error"}


@pytest.mark.live
def test_a_process_that_dies_at_start_fails_at_once_with_its_log(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", DJANGO_SETTINGS_MODULE="lims.absent")

    with pytest.raises(RuntimeError) as failure:
        with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path):
            pass

    assert "gunicorn did not start: gunicorn exited with status" in str(failure.value)
    assert "No module named 'lims.absent'" in str(failure.value)
    assert not isinstance(failure.value, ProcessExited)
