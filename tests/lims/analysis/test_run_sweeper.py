"""The beat job for runs: owed and lost messages are sent (again), runs whose worker died are failed."""
from datetime import timedelta

from django.utils import timezone

from lims.analysis import services, sweeper
from lims.analysis.models import Run


def _queued(cast, record, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got it
        run, _ = services.submit(cast.alice, "image-stats", record.pk)
    return run


def test_a_run_the_broker_never_took_is_sent(cast, built_record, django_capture_on_commit_callbacks):
    record = built_record()
    run = _queued(cast, record, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep()["sent"] == 1
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED


def test_a_lost_message_is_sent_again(cast, built_record, django_capture_on_commit_callbacks, settings):
    record = built_record()
    run = _queued(cast, record, django_capture_on_commit_callbacks)
    Run.objects.filter(pk=run.pk).update(queued=timezone.now() - timedelta(seconds=settings.ANALYSIS_REQUEUE_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep() == {"sent": 0, "resent": 1, "failed": 0}
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED


def test_a_recently_queued_run_is_left_alone(cast, built_record, django_capture_on_commit_callbacks):
    record = built_record()
    run = _queued(cast, record, django_capture_on_commit_callbacks)
    Run.objects.filter(pk=run.pk).update(queued=timezone.now())
    assert sweeper.sweep() == {"sent": 0, "resent": 0, "failed": 0}
    assert Run.objects.get(pk=run.pk).state == Run.State.QUEUED


def test_a_run_whose_heartbeat_stopped_fails(cast, built_record, django_capture_on_commit_callbacks, settings):
    record = built_record()
    run = _queued(cast, record, django_capture_on_commit_callbacks)
    stale = timezone.now() - timedelta(seconds=settings.ANALYSIS_HEARTBEAT_TIMEOUT + 5)
    Run.objects.filter(pk=run.pk).update(state=Run.State.RUNNING, queued=timezone.now(), heartbeat=stale)
    fresh = _queued(cast, built_record(), django_capture_on_commit_callbacks)
    Run.objects.filter(pk=fresh.pk).update(state=Run.State.RUNNING, queued=timezone.now(), heartbeat=timezone.now())
    assert sweeper.sweep()["failed"] == 1
    run.refresh_from_db()
    assert run.state == Run.State.FAILED and run.error.startswith("its worker stopped: no heartbeat since")
    assert Run.objects.get(pk=fresh.pk).state == Run.State.RUNNING


def test_state_changes_send_signals(cast, built_record, run_inline, misbehaving):
    from lims.analysis import runs

    seen = []

    def note(sender, run, state, **kwargs):
        seen.append((state, run.pk))

    runs.run_succeeded.connect(note)
    runs.run_failed.connect(note)
    try:
        record = built_record()
        ok, _ = run_inline(lambda: services.submit(cast.alice, "misbehaving", record.pk))
        bad, _ = run_inline(lambda: services.submit(cast.alice, "misbehaving", record.pk,
                                                    params={"behaviour": "raise"}))
    finally:
        runs.run_succeeded.disconnect(note)
        runs.run_failed.disconnect(note)
    assert seen == [("SUCCEEDED", ok.pk), ("FAILED", bad.pk)]


def test_sending_a_run_leaves_the_build_sweeps_queues_alone():
    """The record-build sweep waits while the queues this process knows hold messages: analysis is not one."""
    from celery import current_app

    from lims.analysis.services import _queue

    queue = _queue("analysis")
    assert (queue.name, queue.routing_key, queue.exchange.name) == ("analysis", "analysis", "analysis")
    current_app.amqp.router.route({"queue": queue}, "lims.analysis.tasks.supervise_run")
    assert "analysis" not in current_app.amqp.queues
