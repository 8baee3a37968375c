"""Celery entry points for events: dispatch one, and (beat) dispatch again what was not."""
from celery import shared_task

from lims.events import outbox


@shared_task(acks_late=True)
def dispatch_event(event_id: int) -> bool:
    return outbox.dispatch(event_id)


@shared_task
def redispatch_events() -> int:
    return outbox.redispatch()
