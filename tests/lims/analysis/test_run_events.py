"""A run's end is an event on its input record; derived records carry their generation so subscriptions stop."""
from lims.analysis import services
from lims.analysis.models import Run
from lims.events.models import Event
from lims.subscriptions import triggers
from lims.subscriptions.models import Delivery, Subscription
from lims.searches.models import SavedSearch


def test_a_succeeded_run_writes_its_event_and_its_derived_record_is_one_generation_deeper(cast, built_record,
                                                                                         run_inline):
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "fft-power-spectrum", record.pk))
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED, run.error + run.log
    event = Event.objects.get(type=Event.Type.RUN_SUCCEEDED)
    assert (event.record, event.subject, event.generation) == (record, f"run:{run.pk}", 0)
    assert event.data["run"] == str(run.pk)
    derived = run.output_record
    assert derived.generation == 1
    completed = Event.objects.get(type=Event.Type.RECORD_COMPLETED, record=derived)
    assert completed.generation == 1

    again, _ = run_inline(lambda: services.submit(cast.alice, "image-stats", derived.pk))
    again.refresh_from_db()
    assert again.output_record.generation == 2
    assert Event.objects.get(type=Event.Type.RUN_SUCCEEDED, subject=f"run:{again.pk}").generation == 1


def test_a_failed_run_writes_a_run_failed_event(cast, built_record, run_inline, misbehaving):
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "misbehaving", record.pk, params={"behaviour": "raise"}))
    run.refresh_from_db()
    assert run.state == Run.State.FAILED
    event = Event.objects.get(type=Event.Type.RUN_FAILED)
    assert (event.record, event.subject, event.data["state"]) == (record, f"run:{run.pk}", "FAILED")
    assert not Event.objects.filter(type=Event.Type.RUN_SUCCEEDED).exists()


def test_a_cancelled_run_writes_no_event(cast, built_record, django_capture_on_commit_callbacks):
    record = built_record()
    with django_capture_on_commit_callbacks(execute=False):
        run, _ = services.submit(cast.alice, "image-stats", record.pk)
        assert services.cancel(run)
    assert not Event.objects.filter(type__in=[Event.Type.RUN_SUCCEEDED, Event.Type.RUN_FAILED]).exists()


def test_backfill_leaves_out_derived_records_unless_asked(cast, built_record, run_inline):
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "fft-power-spectrum", record.pk))
    derived = Run.objects.get(pk=run.pk).output_record
    search = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
    shallow = Subscription.objects.create(owner=cast.alice, search=search, action="email")
    deep = Subscription.objects.create(owner=cast.alice, search=search, action="email", max_generation=1)
    assert triggers.backfill_ids(shallow) == [record.pk]
    assert sorted(triggers.backfill_ids(deep)) == sorted([record.pk, derived.pk])
    assert not Delivery.objects.exists()
