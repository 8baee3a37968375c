"""Waiting for the workers to finish a session's build, with a deadline."""
import time

from django.core.management.base import CommandError

from lims.sessions.models import Session


def wait_for_build(session: Session, timeout: float, interval: float = 0.5) -> str:
    """Poll until the session reaches a final state; CommandError when the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = Session.objects.filter(pk=session.pk).values_list("state", flat=True).first()
        if state in Session.FINAL_STATES:
            return state
        time.sleep(interval)
    raise CommandError(f"session {session.pk} was not built within {timeout:.0f} s: are the workers running?")
