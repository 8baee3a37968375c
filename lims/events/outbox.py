"""`emit`: the one way to say that something happened. The event is a row in the caller's transaction, so it
exists exactly when the change does; after commit it is handed to the workers (`dispatch`), and beat hands
on again what was not dispatched (`redispatch`).

Handlers of each type are listed in HANDLERS by dotted path; each is called with the Event and must be
safe to call twice for the same event (subscriptions keep one delivery row per subscription and subject).
"""
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from lims.core import queue
from lims.events.models import Event

log = logging.getLogger(__name__)

HANDLERS = {
    Event.Type.RECORD_COMPLETED: ["lims.subscriptions.triggers.on_event", "lims.mail.ready.on_record_completed"],
    Event.Type.RECORD_UPDATED: ["lims.subscriptions.triggers.on_event"],
    Event.Type.RUN_SUCCEEDED: ["lims.subscriptions.triggers.on_event"],
    Event.Type.RUN_FAILED: ["lims.subscriptions.triggers.on_event"],
}
REDISPATCH_AFTER = timedelta(seconds=60)  # an event older than this and not dispatched is sent again
MAX_ATTEMPTS = 20
ERROR_LENGTH = 2000


def emit(event_type: str, record=None, subject: str = "", generation: int = 0, **data) -> Event:
    """Write an event in the current transaction and dispatch it once that commits.

    `subject` defaults to the record for record.completed and to the event itself otherwise; pass the
    run (`run:<id>`) for a run's events. `data` is small JSON (ids, never records).
    """
    event = Event.objects.create(type=event_type, record=record, subject=subject, generation=generation, data=data)
    if not subject:
        completed = event_type == Event.Type.RECORD_COMPLETED and record is not None
        event.subject = f"record:{record.pk}" if completed else f"event:{event.pk}"
        Event.objects.filter(pk=event.pk).update(subject=event.subject)
    transaction.on_commit(lambda: _queue(event.pk), robust=True)
    return event


def _queue(event_id: int) -> None:
    queue.send("lims.events.tasks.dispatch_event", event_id)


def dispatch(event_id: int) -> bool:
    """Hand an event to every handler of its type; True once dispatched (now or before)."""
    event = Event.objects.select_related("record").filter(pk=event_id).first()
    if event is None or event.dispatched is not None:
        return True
    Event.objects.filter(pk=event_id).update(attempts=event.attempts + 1)
    try:
        for path in HANDLERS.get(event.type, []):
            import_string(path)(event)
    except Exception as exc:  # noqa: BLE001 - kept on the event; beat tries again
        log.exception("dispatching event %s failed", event_id)
        Event.objects.filter(pk=event_id).update(last_error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])
        return False
    Event.objects.filter(pk=event_id, dispatched__isnull=True).update(dispatched=timezone.now(), last_error="")
    return True


def redispatch(now=None) -> int:
    """Queue again every event left undispatched for REDISPATCH_AFTER (beat); returns how many."""
    cutoff = (now or timezone.now()) - REDISPATCH_AFTER
    waiting = list(Event.objects.filter(dispatched__isnull=True, created__lt=cutoff, attempts__lt=MAX_ATTEMPTS)
                   .values_list("pk", flat=True)[:1000])
    for event_id in waiting:
        _queue(event_id)
    return len(waiting)
