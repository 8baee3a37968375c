"""The periodic sweep: silent sessions (server clock) end at their last heartbeat; owed builds are sent;
stalled builds are handed back, busy ones left alone."""
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
                                                 last_seen=heartbeat, start=now - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        swept = sweeper.sweep(now)
    assert (swept["ended"], swept["requeued"]) == (1, 0)
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
                                                 last_heartbeat=now - timedelta(minutes=5),
                                                 last_seen=now - timedelta(minutes=5))
    assert sweeper.sweep(now)["ended"] == 0
    assert Session.objects.get(pk=session.pk).state == Session.State.ACTIVE


def test_a_build_silent_past_the_stall_threshold_is_handed_back_and_finished(
        cast, make_session, settings, django_capture_on_commit_callbacks, caplog):
    settings.BUILD_STALL_SECONDS = 120
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    three_minutes_ago = timezone.now() - timedelta(minutes=3)
    Session.objects.filter(pk=session.pk).update(state=Session.State.BUILDING, state_changed=three_minutes_ago,
                                                 build_queued=three_minutes_ago, build_progress=three_minutes_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeper.sweep() == {"ended": 0, "sent": 0, "requeued": 1, "stale_uploads": 0}
    assert f"showed no progress since {three_minutes_ago.isoformat(timespec='seconds')}" in caplog.text
    assert Session.objects.get(pk=session.pk).state == Session.State.COMPLETED
    assert Record.objects.filter(session=session).count() == 1


def test_a_build_that_shows_progress_is_left_alone(cast, make_session, settings):
    settings.BUILD_STALL_SECONDS = 120
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(state=Session.State.BUILDING, state_changed=now - timedelta(hours=1),
                                                 build_queued=now - timedelta(hours=1),
                                                 build_progress=now - timedelta(seconds=30))
    assert sweeper.sweep()["requeued"] == 0
    assert Session.objects.get(pk=session.pk).state == Session.State.BUILDING


def test_a_build_owed_to_the_broker_is_sent(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})  # ENDED, build_queued empty: owed
    assert sweeper.sweep()["sent"] == 1
    session.refresh_from_db()
    assert session.state == Session.State.COMPLETED  # eager Celery: built as it was sent
    assert session.build_queued is not None


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
