"""Builds through real workers survive what goes wrong around them: database connections dropped,
the broker down when a session ends, a hostile file. Nothing is marked failed that is not."""
import os

import pytest
from django.db import connection

from lims.records.models import Record
from lims.sessions.models import DataFile, Session
from tests.data.make_hostile_tiff import make_tag_bomb_tiff
from tests.data.make_session_files import tiff_bytes
from tests.live import (
    ConnectionDropper, Process, free_port, http_json, run_celery_beat, run_celery_worker, run_gunicorn, server_env,
    wait_for,
)

pytestmark = pytest.mark.live
BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
FILES = 240  # enough work for the connections to be dropped while it runs


@pytest.fixture
def broker_url():
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()
    return BROKER_URL


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("drops connections with PostgreSQL's pg_terminate_backend")


def test_dropped_database_connections_mark_no_healthy_file_failed(transactional_db, postgres_only, cast,
                                                                 make_session, broker_url, tmp_path, settings):
    files = {f"frame{i:03d}.tif": tiff_bytes(i, 256) for i in range(FILES)}
    session = make_session(cast.titan, files)
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     BUILD_STALL_SECONDS=10, SWEEP_INTERVAL_SECONDS=2)
    with run_celery_worker(env, concurrency=2, log_dir=tmp_path), run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path):
        from celery import Celery

        Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
        dropper = ConnectionDropper(interval=0.3, times=8)
        wait_for(lambda: DataFile.objects.filter(session=session, extracted=True).exists(), 120,
                 what="the build to start")
        dropper.start()
        dropper.join()
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 240,
                 what="the build to finish")
    session.refresh_from_db()
    assert dropper.dropped > 0
    assert session.state == Session.State.COMPLETED, session.error
    failed = dict(DataFile.objects.filter(session=session).exclude(error="").values_list("relative_path", "error"))
    assert failed == {}
    assert Record.objects.get(session=session).file_count == FILES


def test_a_session_ended_while_the_broker_is_down_is_built_once_it_is_back(transactional_db, cast, make_session,
                                                                            tmp_path, settings):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "b.tif": tiff_bytes(2)})
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE, end=None)
    env = server_env(connection.settings_dict, broker_url=broker, data_root=settings.DATA_ROOT,
                     SWEEP_INTERVAL_SECONDS=2)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        # Nothing listens on the broker's port: the broker is down.
        status, body = http_json(f"{server.url}/api/v1/sessions/{session.pk}/end/", cast.titan.api_token, "POST", {})
    assert status == 200, body
    assert body["state"] == "ENDED"
    session.refresh_from_db()
    assert session.state == Session.State.ENDED and session.build_queued is None  # owed, not lost

    redis = Process("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], env, tmp_path / "redis.log",
                    ready=lambda p: "Ready to accept connections" in p.output())
    with redis, run_celery_worker(env, log_dir=tmp_path), run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path):
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 120,
                 what="the owed build to be sent and done once the broker is back")
    session.refresh_from_db()
    assert session.state == Session.State.COMPLETED, session.error
    assert Record.objects.get(session=session).file_count == 2


def test_a_file_that_exceeds_memory_is_its_own_error_and_the_worker_goes_on(transactional_db, cast, make_session,
                                                                          broker_url, tmp_path, settings):
    from lims.sessions.storage import sha256_of

    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "b.tif": tiff_bytes(2)})
    # A sparse TIFF whose metadata makes any reader allocate 1 GiB; the worker allows 64 MiB of data.
    target = make_tag_bomb_tiff(session.storage_dir, tag_bytes=1024**3)

    DataFile.objects.create(session=session, relative_path="bomb.tif", size=target.stat().st_size,
                            sha256=sha256_of(target), mtime=session.start)
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     EXTRACT_MEMORY_LIMIT_MB=64)
    with run_celery_worker(env, concurrency=1, log_dir=tmp_path) as worker:
        from celery import Celery

        pid = worker.pid
        Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 180,
                 what="the build to finish")
        assert worker.alive and worker.pid == pid
    session.refresh_from_db()
    assert session.state == Session.State.COMPLETED, session.error
    errors = dict(DataFile.objects.filter(session=session).values_list("relative_path", "error"))
    assert errors["a.tif"] == errors["b.tif"] == ""
    assert "MemoryError" in errors["bomb.tif"]
