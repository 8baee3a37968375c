"""The event outbox: written with the change it reports, dispatched after commit, dispatched again when it was not."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from lims.events import outbox
from lims.events.models import Event
from lims.records import pipeline
from lims.sessions.models import Session
from tests.data.make_session_files import tiff_bytes


@pytest.fixture
def ended(cast, make_session):
    return make_session(cast.titan, {"a.tif": tiff_bytes(1, 32), "b.tif": tiff_bytes(2, 32)}, account=cast.alice)


def test_a_completed_build_writes_one_dispatched_event(ended, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.build_now(str(ended.pk)) == Session.State.COMPLETED
    event = Event.objects.get()
    assert (event.type, event.subject, event.generation) == ("record.completed", f"record:{ended.record.pk}", 0)
    assert event.dispatched is not None  # eager Celery ran the dispatch after commit


def test_a_build_that_fails_writes_no_event(cast, make_session):
    session = make_session(cast.titan, {})
    assert pipeline.build_now(str(session.pk)) == Session.State.NO_FILES
    assert not Event.objects.exists()


def test_an_event_rolled_back_with_its_change_is_never_dispatched(ended, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox.emit(Event.Type.RECORD_UPDATED, subject="test:1")
                raise RuntimeError("the change failed")
    assert not Event.objects.exists()
    assert callbacks == []


def test_beat_dispatches_what_was_left_undispatched(db, settings):
    event = Event.objects.create(type=Event.Type.RUN_FAILED, subject="run:7")
    Event.objects.filter(pk=event.pk).update(created=timezone.now() - timedelta(minutes=5))
    fresh = Event.objects.create(type=Event.Type.RUN_FAILED, subject="run:8")
    assert outbox.redispatch() == 1  # the fresh one is still on its way
    event.refresh_from_db()
    fresh.refresh_from_db()
    assert event.dispatched is not None and event.attempts == 1
    assert fresh.dispatched is None


def test_a_failing_handler_leaves_the_event_for_beat(db, monkeypatch):
    monkeypatch.setitem(outbox.HANDLERS, Event.Type.RUN_FAILED, ["tests.lims.events.test_outbox.failing_handler"])
    event = Event.objects.create(type=Event.Type.RUN_FAILED, subject="run:9")
    assert outbox.dispatch(event.pk) is False
    event.refresh_from_db()
    assert event.dispatched is None and "handler is down" in event.last_error


def failing_handler(event):
    raise ConnectionError("handler is down")


def test_an_edit_writes_a_record_updated_event_with_what_changed(ended, cast, django_capture_on_commit_callbacks):
    from lims.curation.services import edit_summary

    assert pipeline.build_now(str(ended.pk)) == Session.State.COMPLETED
    record = ended.record
    with django_capture_on_commit_callbacks(execute=True):
        edit_summary(record, cast.alice, {"title": "A better title", "sample": "steel"})
        edit_summary(record, cast.alice, {"title": "A better title"})  # no change, no event
    updated = Event.objects.get(type=Event.Type.RECORD_UPDATED)
    assert updated.record == record and updated.data == {"changes": ["sample", "title"]}
    assert updated.subject == f"event:{updated.pk}" and updated.dispatched is not None
