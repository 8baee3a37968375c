"""Finds sessions that need a nudge: silent loggers, builds never started, builds that stalled."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lims.sessions.models import Session, SessionEvent

STALLED_BUILD_MINUTES = 60
UNQUEUED_BUILD_MINUTES = 5


def end_silent_sessions(now=None) -> int:
    """End ACTIVE sessions with no heartbeat for SESSION_SILENCE_MINUTES, at their last sign of life."""
    from lims.records.pipeline import schedule_build

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SESSION_SILENCE_MINUTES)
    ended = 0
    for session in Session.objects.filter(state=Session.State.ACTIVE).select_related("instrument"):
        last_seen = session.last_heartbeat or session.start
        if last_seen > cutoff:
            continue
        if session.end_now(at=last_seen):
            SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.END, at=now,
                                        text="Ended automatically: the logger went silent.")
            schedule_build(session)
            ended += 1
    return ended


def requeue_stuck_builds(now=None) -> int:
    """Queue ENDED sessions that waited too long, and hand back BUILDING ones that stalled."""
    from lims.records.pipeline import request_rebuild, schedule_build

    now = now or timezone.now()
    stalled = Session.objects.filter(
        state=Session.State.BUILDING, state_changed__lt=now - timedelta(minutes=STALLED_BUILD_MINUTES)
    )
    count = 0
    for session in stalled:
        count += request_rebuild(session)
    waiting = Session.objects.filter(
        state=Session.State.ENDED, state_changed__lt=now - timedelta(minutes=UNQUEUED_BUILD_MINUTES)
    )
    for session in waiting:
        schedule_build(session)
        count += 1
    return count


def sweep(now=None) -> dict:
    from lims.uploads.services import remove_stale_uploads

    return {"ended": end_silent_sessions(now), "requeued": requeue_stuck_builds(now),
            "stale_uploads": remove_stale_uploads(now)}
