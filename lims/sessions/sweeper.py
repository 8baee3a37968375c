"""Finds sessions that need a nudge: silent loggers, builds owed to the broker, builds that stalled."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lims.sessions import builds, services
from lims.sessions.models import Session

SILENT_END_NOTE = "Ended automatically: the logger went silent."


def end_silent_sessions(now=None) -> int:
    """End ACTIVE sessions not heard from for SESSION_SILENCE_MINUTES (server clock), at their last sign of life.

    The end time is the logger's own last heartbeat when it sent one (its clock, like the start),
    otherwise the server's time of its last request.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.SESSION_SILENCE_MINUTES)
    ended = 0
    for session in Session.objects.filter(state=Session.State.ACTIVE, last_seen__lt=cutoff):
        at = session.last_heartbeat or session.last_seen
        if services.end_session(session, at, note=SILENT_END_NOTE, quiet=True):
            ended += 1
    return ended


def sweep(now=None) -> dict:
    from lims.uploads.services import remove_stale_uploads

    return {
        "ended": end_silent_sessions(now),
        "sent": builds.send_owed_builds(),
        "requeued": builds.requeue_stalled(now),
        "stale_uploads": remove_stale_uploads(now),
    }
