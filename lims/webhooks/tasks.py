"""Celery entry points for webhooks: send one message, and (beat) send every message that is due."""
from celery import shared_task

from lims.webhooks import sending


@shared_task(acks_late=True)
def send_message(message_id: int) -> str | None:
    return sending.send(message_id)


@shared_task
def send_due_messages() -> int:
    return sending.send_due()
