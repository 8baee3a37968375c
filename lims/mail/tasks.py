"""Celery entry points for mail: the daily digest (beat)."""
from celery import shared_task

from lims.mail import ready


@shared_task
def send_digests() -> int:
    return ready.send_digests()
