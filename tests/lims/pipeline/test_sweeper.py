"""The periodic sweep: silent sessions end at their last heartbeat; stalled builds are handed back."""
from datetime import timedelta

from django.utils import timezone

from lims.records.models import Record
from lims.sessions import sweeper
from lims.sessions.models import Session, SessionEvent

from tests.data.make_session_files import tiff_bytes


def test_a_silent_session_ends_at_its_last_heartbeat_and_is_built(cast, make_session, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.SESSION_SILENCE_MINUTES = 30
    now = timezone.now()
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    heartbeat = now - timedelta(minutes=45)
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE, end=None, last_heartbeat=heartbeat,
                                                 start=now - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep(now) == {"ended": 1, "requeued": 0, "stale_uploads": 0}
    session.refresh_from_db()
    assert session.end == heartbeat
    assert session.state == Session.State.COMPLETED  # eager Celery: built right away
    assert Record.objects.filter(session=session).exists()
    assert session.events.filter(kind=SessionEvent.Kind.END).exists()


def test_a_session_with_a_recent_heartbeat_is_left_alone(cast, make_session, settings):
    settings.SESSION_SILENCE_MINUTES = 30
    now = timezone.now()
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE, end=None,
                                                 last_heartbeat=now - timedelta(minutes=5))
    assert sweeper.sweep(now)["ended"] == 0
    assert Session.objects.get(pk=session.pk).state == Session.State.ACTIVE


def test_a_stalled_build_is_handed_back_and_finished(cast, make_session, django_capture_on_commit_callbacks):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    long_ago = timezone.now() - timedelta(hours=3)
    Session.objects.filter(pk=session.pk).update(state=Session.State.BUILDING, state_changed=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep() == {"ended": 0, "requeued": 1, "stale_uploads": 0}
    assert Session.objects.get(pk=session.pk).state == Session.State.COMPLETED
    assert Record.objects.filter(session=session).count() == 1


def test_uploads_abandoned_for_a_week_are_removed(cast, make_session):
    from lims.uploads.models import Upload

    session = make_session(cast.titan, {})
    old = Upload.objects.create(session=session, relative_path="old.bin", length=10, offset=4)
    fresh = Upload.objects.create(session=session, relative_path="new.bin", length=10, offset=4)
    old.part_path.parent.mkdir(parents=True, exist_ok=True)
    old.part_path.write_bytes(b"abcd")
    Upload.objects.filter(pk=old.pk).update(updated=timezone.now() - timedelta(days=8))
    assert sweeper.sweep()["stale_uploads"] == 1
    assert list(Upload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old.part_path.exists()
