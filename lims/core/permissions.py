"""Who may do what: staff everything, instrument tokens their own instrument, people read their own.

A `SessionsAgent` (a runner uploading a run's outputs) reaches only the sessions it was given; an
instrument token may read, but not change, a session holding a run's outputs (a derived record).

One permission class, `Scoped`, answers for every API view. Reads narrow the queryset with
`visible_sessions` so other instruments' objects answer 404; actions look the object up in full
and are refused with 403 by `has_object_permission`.
"""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from lims.core.authentication import InstrumentAgent, SessionsAgent, instrument_of

OTHER_INSTRUMENT = "This token acts only for its own instrument."
READ_ONLY = "Your account can only read here; sessions and uploads are made by instruments and staff."
NOT_YOURS = "This session belongs to someone else."
RUN_OUTPUTS = "This session holds the outputs of an analysis run; only that run adds files to it."


def _session_of(obj):
    """The Session an object belongs to (a Session, an Upload or a DataFile), or None."""
    from lims.sessions.models import Session

    if isinstance(obj, Session):
        return obj
    return getattr(obj, "session", None)


def _holds_run_outputs(obj) -> bool:
    session = _session_of(obj)
    return session is not None and hasattr(session, "derived_by")  # the reverse one-to-one of Run.output_session


def _instrument_id_of(obj):
    from lims.instruments.models import Instrument

    if isinstance(obj, Instrument):
        return obj.pk
    session = _session_of(obj)
    return session.instrument_id if session is not None else None


class Scoped(BasePermission):
    """Staff: all. Instrument token: only its instrument. Other people: read instruments and own sessions."""

    message = READ_ONLY

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(user, (InstrumentAgent, SessionsAgent)) or user.is_staff:
            return True
        return request.method in SAFE_METHODS

    def has_object_permission(self, request, view, obj) -> bool:
        if isinstance(request.user, SessionsAgent):
            self.message = NOT_YOURS
            session = _session_of(obj)
            return session is not None and request.user.sessions.filter(pk=session.pk).exists()
        instrument = instrument_of(request)
        if instrument is not None:
            self.message = OTHER_INSTRUMENT
            if _instrument_id_of(obj) != instrument.pk:
                return False
            self.message = RUN_OUTPUTS
            return request.method in SAFE_METHODS or not _holds_run_outputs(obj)
        if request.user.is_staff:
            return True
        from lims.instruments.models import Instrument

        if isinstance(obj, Instrument):
            return request.method in SAFE_METHODS
        self.message = NOT_YOURS
        session = _session_of(obj)
        return session is not None and session.account_id == request.user.pk and request.method in SAFE_METHODS


def visible_sessions(queryset, request, prefix: str = ""):
    """Narrow a queryset (of sessions, or of objects reaching one through `prefix`) to what the caller sees."""
    if isinstance(request.user, SessionsAgent):
        return queryset.filter(**{f"{prefix}pk__in": request.user.sessions.values("pk")})
    instrument = instrument_of(request)
    if instrument is not None:
        return queryset.filter(**{f"{prefix}instrument": instrument})
    if request.user.is_staff:
        return queryset
    return queryset.filter(**{f"{prefix}account": request.user})
