"""Session lifecycle as the API drives it: start (idempotent), heartbeat, notes and end."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from lims.core.exceptions import Conflict
from lims.sessions import builds
from lims.sessions.models import Session, SessionEvent, clamp_client_time

START_FIELDS = ("sample", "sample_id", "project", "purpose", "notes")


def _conflict_with_open(instrument) -> Conflict | None:
    open_id = Session.objects.filter(instrument=instrument, state=Session.State.ACTIVE).values_list("pk", flat=True)
    open_id = open_id.first()
    if open_id is None:
        return None
    return Conflict(
        f"Instrument {instrument.pid} already has an open session ({open_id}); end it first.",
        code="session_open",
        open_session=str(open_id),
    )


def _existing(session_id, instrument) -> Session | None:
    """The session already made with this id (a repeated start), checking it is the same instrument."""
    session = Session.objects.select_related("instrument").filter(pk=session_id).first()
    if session is not None and session.instrument_id != instrument.pk:
        raise Conflict(
            f"Session {session_id} already exists on another instrument.", code="session_id_taken"
        )
    return session


def start_session(*, id, instrument, user: str, start=None, **fields) -> tuple[Session, bool]:
    """Open a session, or return the one made earlier with the same id; True when newly created.

    The database's partial unique constraint is the real guard against two open sessions: a
    concurrent start that slips past the check below fails on insert and becomes the same 409.
    """
    existing = _existing(id, instrument)
    if existing is not None:
        return existing, False
    conflict = _conflict_with_open(instrument)
    if conflict is not None:
        raise conflict
    account = get_user_model().objects.filter(username=user).first()
    values = {name: fields.get(name) or "" for name in START_FIELDS}
    start = clamp_client_time(start or timezone.now())
    try:
        with transaction.atomic():
            session = Session.objects.create(
                id=id, instrument=instrument, user=user, account=account, start=start, **values
            )
            SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.START, at=start)
    except IntegrityError:
        existing = _existing(id, instrument)
        if existing is not None:
            return existing, False
        conflict = _conflict_with_open(instrument)
        if conflict is not None:
            raise conflict from None
        raise
    return session, True


def heartbeat(session: Session, at=None) -> Session:
    """Record a sign of life; consecutive heartbeats share one event, moved forward each time.

    `at` is the logger's clock, kept (clamped) for the record; liveness is `last_seen`, the server's clock.
    """
    now = timezone.now()
    at = clamp_client_time(at or now, earliest=session.start, now=now)
    with transaction.atomic():
        updated = Session.objects.filter(pk=session.pk, state=Session.State.ACTIVE).update(
            last_heartbeat=at, last_seen=now
        )
        if not updated:
            raise Conflict(f"Session {session.pk} is {session.state}, not ACTIVE.", code="session_not_active")
        session.last_heartbeat, session.last_seen = at, now
        latest = session.events.select_for_update().order_by("-at", "-id").first()
        if latest is not None and latest.kind == SessionEvent.Kind.HEARTBEAT:
            latest.at = max(at, latest.at)
            latest.save(update_fields=["at"])
        else:
            SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.HEARTBEAT, at=at)
    return session


def add_note(session: Session, text: str) -> SessionEvent:
    """A NOTE event, also appended as a line to the session's notes."""
    with transaction.atomic():
        notes = Session.objects.select_for_update().values_list("notes", flat=True).get(pk=session.pk)
        session.notes = f"{notes}\n{text}" if notes else text
        Session.objects.filter(pk=session.pk).update(notes=session.notes)
        Session.objects.filter(pk=session.pk, state=Session.State.ACTIVE).update(last_seen=timezone.now())
        return SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.NOTE, text=text)


def end_session(session: Session, at=None, note: str = "", quiet: bool = False) -> Session | None:
    """ACTIVE -> ENDED, an END event, and the record build queued once this commits: the one way to end.

    The logger (through the API) and the sweep both end sessions here. A session that is no longer
    ACTIVE is a Conflict, or None when `quiet`.
    """
    with transaction.atomic():
        if not session.end_now(at=at):
            if quiet:
                return None
            session.refresh_from_db(fields=["state"])
            raise Conflict(f"Session {session.pk} is {session.state}, not ACTIVE.", code="session_not_active")
        SessionEvent.objects.create(session=session, kind=SessionEvent.Kind.END, at=session.end, text=note)
        builds.queue_build(session)
    return session
