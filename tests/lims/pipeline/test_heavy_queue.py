"""Real workers split by queue: a `-Q celery` worker never reads heavy files, a `-Q heavy` worker reads them,
and the build of a session holding both completes; one worker without -Q serves both queues."""
import re

import pytest
from django.utils import timezone

from lims.records.models import Record
from lims.sessions import builds
from lims.sessions.models import DataFile, Session
from tests.data.make_session_files import tiff_bytes
from tests.live import run_celery_worker, server_env, wait_for

pytestmark = pytest.mark.live
HEAVY_MB = 1  # a 1024 x 1024 16-bit TIFF (2 MiB) is heavy, a 64 x 64 one is not


@pytest.fixture
def mixed_session(transactional_db, cast, make_session, broker_url, settings):
    """An ENDED session with one light and one heavy file, its build sent through the broker."""
    from celery import Celery

    session = make_session(cast.titan, {"light.tif": tiff_bytes(1, 64), "heavy.tif": tiff_bytes(2, 1024)})
    Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
    Session.objects.filter(pk=session.pk).update(build_queued=timezone.now())
    return session


def _env(broker_url, settings):
    from django.db import connection

    return server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                      EXTRACT_HEAVY_MB=HEAVY_MB, EXTRACT_DURING_SESSION="false")


def _read(worker, file_id: int) -> str | None:
    """The queue a worker says it read this file from, or None."""
    found = re.search(rf"reading files \[{file_id}\] from queue (\w+)", worker.output(whole=True))
    return found.group(1) if found else None


def _on_broker(settings, broker_url):
    from lims.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = broker_url


def test_each_file_is_read_by_the_worker_of_its_queue(mixed_session, broker_url, settings, tmp_path):
    from lims.celery import app

    env = _env(broker_url, settings)
    light = DataFile.objects.get(session=mixed_session, relative_path="light.tif")
    heavy = DataFile.objects.get(session=mixed_session, relative_path="heavy.tif")
    before = app.conf.broker_url
    try:
        with run_celery_worker(env, hostname="light@%h", queues="celery", log_dir=tmp_path) as light_worker:
            wait_for(lambda: DataFile.objects.get(pk=light.pk).extracted, 120, what="the light file to be read")
            # The light worker has sent every batch before reading its own: the heavy one waits for its worker.
            assert not DataFile.objects.get(pk=heavy.pk).extracted
            _on_broker(settings, broker_url)
            assert builds.queued_build_messages() == 1  # the sweep sees the heavy queue's build message
            with run_celery_worker(env, hostname="heavy@%h", queues="heavy", log_dir=tmp_path) as heavy_worker:
                wait_for(lambda: Session.objects.get(pk=mixed_session.pk).state in Session.FINAL_STATES, 120,
                         what="the build to finish")
            assert builds.queued_build_messages() == 0
    finally:
        app.conf.broker_url = before

    mixed_session.refresh_from_db()
    assert mixed_session.state == Session.State.COMPLETED, mixed_session.error
    assert Record.objects.get(session=mixed_session).file_count == 2
    assert not DataFile.objects.filter(session=mixed_session).exclude(error="").exists()
    assert (_read(light_worker, light.pk), _read(light_worker, heavy.pk)) == ("celery", None)
    assert (_read(heavy_worker, heavy.pk), _read(heavy_worker, light.pk)) == ("heavy", None)
    assert "lims.records.tasks.finish_session" in light_worker.output(whole=True)  # finish is light work


def test_one_worker_without_queues_serves_both(mixed_session, broker_url, settings, tmp_path):
    env = _env(broker_url, settings)
    light = DataFile.objects.get(session=mixed_session, relative_path="light.tif")
    heavy = DataFile.objects.get(session=mixed_session, relative_path="heavy.tif")

    with run_celery_worker(env, log_dir=tmp_path) as worker:
        wait_for(lambda: Session.objects.get(pk=mixed_session.pk).state in Session.FINAL_STATES, 120,
                 what="the build to finish")

    mixed_session.refresh_from_db()
    assert mixed_session.state == Session.State.COMPLETED, mixed_session.error
    assert Record.objects.get(session=mixed_session).file_count == 2
    assert (_read(worker, light.pk), _read(worker, heavy.pk)) == ("celery", "heavy")
