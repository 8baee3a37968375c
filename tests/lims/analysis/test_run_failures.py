"""A method that raises, hangs, eats memory or writes too much ends FAILED or TIMED_OUT with its reason, and no
derived record; a cancelled queued run never starts."""
from lims.analysis import services
from lims.analysis.models import Run
from lims.records.models import Record


def _run(cast, record, run_inline, **params):
    run, _ = run_inline(lambda: services.submit(cast.alice, "misbehaving", record.pk, params=params))
    run.refresh_from_db()
    return run


def test_a_method_that_raises_fails_with_its_message(cast, built_record, run_inline, misbehaving):
    record = built_record()
    run = _run(cast, record, run_inline, behaviour="raise")
    assert run.state == Run.State.FAILED
    assert run.error == "RuntimeError: the method gave up on purpose"
    assert "Traceback" in run.log and "starting raise" in run.log
    assert run.output_session is None
    assert Record.objects.count() == 1


def test_a_method_that_hangs_times_out(cast, built_record, run_inline, misbehaving, settings):
    settings.ANALYSIS_TIME_LIMIT = 2
    record = built_record()
    run = _run(cast, record, run_inline, behaviour="hang")
    assert run.state == Run.State.TIMED_OUT
    assert run.error == "stopped after the time limit of 2 s"
    assert run.output_session is None


def test_a_method_that_ignores_sigterm_is_killed(cast, built_record, run_inline, misbehaving, settings, monkeypatch):
    from lims.analysis import supervisor

    monkeypatch.setattr(supervisor, "CANCEL_GRACE_SECONDS", 1.0)
    settings.ANALYSIS_TIME_LIMIT = 2
    record = built_record()
    run = _run(cast, record, run_inline, behaviour="stubborn")
    assert run.state == Run.State.TIMED_OUT
    assert run.finished is not None


def test_a_method_beyond_the_memory_limit_fails(cast, built_record, run_inline, misbehaving, settings):
    settings.ANALYSIS_MEMORY_LIMIT_MB = 2048
    record = built_record()
    run = _run(cast, record, run_inline, behaviour="memory")
    assert run.state == Run.State.FAILED
    assert run.error.startswith("MemoryError")
    assert Record.objects.count() == 1


def test_a_method_writing_beyond_the_output_limit_fails(cast, built_record, run_inline, misbehaving, settings):
    settings.ANALYSIS_OUTPUT_LIMIT_MB = 5
    record = built_record()
    run = _run(cast, record, run_inline, behaviour="write")
    assert run.state == Run.State.FAILED
    assert "output limit of 5 MB" in run.error or "File too large" in run.error
    assert run.output_session is None


def test_a_queued_run_cancelled_never_starts(cast, built_record, misbehaving, django_capture_on_commit_callbacks):
    record = built_record()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run, _ = services.submit(cast.alice, "misbehaving", record.pk)
    assert services.cancel(run)
    for callback in queued:
        callback()  # the supervisor's message arrives after the cancel
    run.refresh_from_db()
    assert run.state == Run.State.CANCELLED
    assert run.started is None and run.attempts == 0


def test_a_second_delivery_does_nothing(cast, built_record, run_inline, misbehaving):
    from lims.analysis.supervisor import supervise

    record = built_record()
    run = _run(cast, record, run_inline)
    assert run.state == Run.State.SUCCEEDED
    assert supervise(run.pk) == "SKIPPED"
    run.refresh_from_db()
    assert run.attempts == 1 and run.state == Run.State.SUCCEEDED
