"""A real Celery worker killed with SIGKILL mid-build: with beat running, and without anyone stepping in,
exactly one complete record soon after a worker is back (the broker keeps the killed task for an hour)."""
import signal

import pytest
from django.utils import timezone

from lims.records.models import Record
from lims.sessions.models import DataFile, Session
from tests.live import run_celery_beat, run_celery_worker, server_env, wait_for

from tests.data.make_session_files import tiff_bytes

pytestmark = pytest.mark.live
FILES = 240
STALL_SECONDS = 10


def test_a_killed_worker_leaves_exactly_one_complete_record(transactional_db, cast, make_session, broker_url,
                                                           tmp_path, settings):
    from django.db import connection

    files = {f"frame{i:03d}.tif": tiff_bytes(i, 256) for i in range(FILES)}
    session = make_session(cast.titan, files)
    # The broker's own redelivery stays at its default hour: recovery must not depend on it.
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     CELERY_VISIBILITY_TIMEOUT=3600, BUILD_STALL_SECONDS=STALL_SECONDS, SWEEP_INTERVAL_SECONDS=2)
    from celery import Celery

    # Queued once, through the broker, and noted so: the sweep has no owed build to send again.
    Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
    Session.objects.filter(pk=session.pk).update(build_queued=timezone.now())
    with run_celery_worker(env, concurrency=1, log_dir=tmp_path) as worker, \
            run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path):
        extracted = DataFile.objects.filter(session=session, extracted=True)
        wait_for(lambda: extracted.count() >= 3, 120, what="the worker to extract a few files")
        worker.kill(signal.SIGKILL)
        done_before_kill = extracted.count()
        assert done_before_kill < FILES, "the build finished before the worker could be killed"
        assert Session.objects.get(pk=session.pk).state == Session.State.BUILDING

        worker.start()
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 240,
                 what="the restarted worker to finish the build")
    session.refresh_from_db()
    assert session.state == Session.State.COMPLETED, session.error
    assert Record.objects.filter(session=session).count() == 1
    record = Record.objects.get(session=session)
    assert record.file_count == FILES
    assert DataFile.objects.filter(session=session, extracted=True).count() == FILES
    assert not DataFile.objects.filter(session=session).exclude(error="").exists()
    assert record.xml.count("<dataset>") + record.xml.count("<dataset ") == FILES
    assert "showed no progress since" in worker.output(whole=True)  # the sweep's recovery, not the broker's
