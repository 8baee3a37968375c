"""Runs through real Celery workers on the `analysis` queue: end to end from the API, cancel, timeout, a killed
worker, a duplicate delivery, and analysis never delaying the build of a session's record."""
import signal

import psutil
import pytest
from celery import Celery
from django.utils import timezone

from lims.analysis import services
from lims.analysis.models import Run
from lims.sessions.models import Session
from tests.live import free_port, http_json, run_celery_beat, run_celery_worker, run_gunicorn, server_env, wait_for

pytestmark = pytest.mark.live


@pytest.fixture
def live_env(transactional_db, broker_url, settings):
    from django.db import connection

    def make(**extra):
        return server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                          ANALYSIS_HEARTBEAT_TIMEOUT=5, SWEEP_INTERVAL_SECONDS=1, **extra)

    return make


def _queue(cast, record, broker_url, times: int = 1, method="misbehaving", **params) -> Run:
    """Submit a run and hand its supervisor to the broker `times` times (this test process has no broker of its
    own: its Celery would run the supervisor in-process)."""
    original = services.send_run
    services.send_run = lambda run_id: True
    try:
        run, _ = services.submit(cast.alice, method, record.pk, params=params)
    finally:
        services.send_run = original
    sender = Celery(broker=broker_url, set_as_current=False)
    for _ in range(times):
        sender.send_task("lims.analysis.tasks.supervise_run", (str(run.pk),), queue="analysis")
    Run.objects.filter(pk=run.pk).update(queued=timezone.now())
    return run


def _state(run) -> str:
    return Run.objects.filter(pk=run.pk).values_list("state", flat=True).get()


def _children(run) -> list:
    """Method processes of this run still alive."""
    marker = str(run.pk)
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(marker in part for part in process.info["cmdline"] or []):
            found.append(process)
    return found


def test_a_run_from_the_api_through_live_workers(cast, built_record, live_env, tmp_path):
    record = built_record()
    env = live_env()
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web, \
            run_celery_worker(env, queues="analysis", hostname="analysis@test", log_dir=tmp_path), \
            run_celery_worker(env, queues="celery", hostname="builds@test", log_dir=tmp_path):
        status, body = http_json(f"{web.url}/api/v1/runs/", token=cast.tokens["alice"], method="POST",
                                 body={"method": "fft-power-spectrum", "record": record.pk})
        assert status == 201, body
        run = Run.objects.get(pk=body["id"])
        wait_for(lambda: _state(run) in Run.FINAL_STATES, 120, what="the run to end")
        run.refresh_from_db()
        assert run.state == Run.State.SUCCEEDED, run.error
        assert run.worker.startswith("analysis@test") or run.worker  # claimed by the supervisor's host
        wait_for(lambda: Session.objects.get(pk=run.output_session_id).state in Session.FINAL_STATES, 120,
                 what="the derived record to be built")
        status, detail = http_json(f"{web.url}/api/v1/runs/{run.pk}/", token=cast.tokens["alice"])
        assert detail["output_record"] is not None
        status, prov = http_json(f"{web.url}/api/v1/runs/{run.pk}/prov", token=cast.tokens["alice"])
        assert status == 200 and f"lims:records/{detail['output_record']}" in prov["entity"]


def test_cancel_a_running_run(cast, built_record, live_env, broker_url, tmp_path, misbehaving):
    record = built_record()
    env = live_env()
    with run_celery_worker(env, queues="analysis", log_dir=tmp_path):
        run = _queue(cast, record, broker_url, behaviour="hang")
        wait_for(lambda: _state(run) == Run.State.RUNNING and _children(run), 60, what="the run to start")
        assert services.cancel(Run.objects.get(pk=run.pk))
        wait_for(lambda: _state(run) == Run.State.CANCELLED, 30, what="the run to be cancelled")
        assert not _children(run)
    assert Run.objects.get(pk=run.pk).output_session is None


def test_a_method_ignoring_sigterm_is_killed_after_the_grace_period(cast, built_record, live_env, broker_url,
                                                                    tmp_path, misbehaving):
    record = built_record()
    with run_celery_worker(live_env(), queues="analysis", log_dir=tmp_path):
        run = _queue(cast, record, broker_url, behaviour="stubborn")
        wait_for(lambda: Run.objects.get(pk=run.pk).message.startswith("behaving"), 60, what="the method to run")
        services.cancel(Run.objects.get(pk=run.pk))
        wait_for(lambda: _state(run) == Run.State.CANCELLED, 40, what="the run to be cancelled")
        assert not _children(run)


def test_a_hanging_method_times_out(cast, built_record, live_env, broker_url, tmp_path, misbehaving):
    record = built_record()
    with run_celery_worker(live_env(ANALYSIS_TIME_LIMIT=3), queues="analysis", log_dir=tmp_path):
        run = _queue(cast, record, broker_url, behaviour="hang")
        wait_for(lambda: _state(run) in Run.FINAL_STATES, 60, what="the run to end")
    run.refresh_from_db()
    assert run.state == Run.State.TIMED_OUT and run.error == "stopped after the time limit of 3 s"
    assert not _children(run)


def test_a_killed_worker_fails_its_run_and_stops_the_method(cast, built_record, live_env, broker_url, tmp_path,
                                                            misbehaving):
    record = built_record()
    env = live_env()
    with run_celery_worker(env, queues="analysis", log_dir=tmp_path) as worker, \
            run_celery_worker(env, queues="celery", log_dir=tmp_path), \
            run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path):  # the sweep runs on the default queue
        run = _queue(cast, record, broker_url, behaviour="hang")
        wait_for(lambda: _state(run) == Run.State.RUNNING and _children(run), 60, what="the run to start")
        worker.kill(signal.SIGKILL)
        wait_for(lambda: not _children(run), 20, what="the method to die with its supervisor")
        wait_for(lambda: _state(run) == Run.State.FAILED, 60, what="the sweep to fail the run")
        worker.start()  # a redelivered message finds the run ended and does nothing
        run.refresh_from_db()
        assert run.error.startswith("its worker stopped")
        assert run.output_session is None and run.attempts == 1


def test_a_duplicate_delivery_runs_once(cast, built_record, live_env, broker_url, tmp_path, misbehaving):
    record = built_record()
    with run_celery_worker(live_env(), concurrency=2, queues="analysis", log_dir=tmp_path) as worker:
        run = _queue(cast, record, broker_url, times=2, behaviour="slow", seconds=2)
        wait_for(lambda: _state(run) in Run.FINAL_STATES, 60, what="the run to end")
        wait_for(lambda: worker.output().count("supervise_run") >= 4, 30, what="both deliveries to be handled")
        assert "'SKIPPED'" in worker.output()
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED and run.attempts == 1


def test_queued_analysis_never_delays_a_record(cast, built_record, live_env, broker_url, tmp_path, misbehaving,
                                               make_session):
    from tests.data.make_session_files import tiff_bytes

    record = built_record()
    env = live_env()
    runs = [_queue(cast, record, broker_url, behaviour="slow", seconds=5) for _ in range(50)]
    session = make_session(cast.quanta, {f"frame{i}.tif": tiff_bytes(i) for i in range(5)})
    with run_celery_worker(env, queues="analysis", log_dir=tmp_path), \
            run_celery_worker(env, queues="celery", log_dir=tmp_path):
        Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 120,
                 what="the session's record")
        still_queued = Run.objects.filter(pk__in=[r.pk for r in runs], state=Run.State.QUEUED).count()
        for run in runs:
            services.cancel(Run.objects.get(pk=run.pk))
    assert Session.objects.get(pk=session.pk).state == Session.State.COMPLETED
    assert still_queued >= 45
