"""Celery entry points of the record pipeline; each body calls a plain function in pipeline.py.

All tasks take ids, are safe to run twice, and are acknowledged late so that a worker killed
mid-task leaves the message to be delivered again. A database or broker that is briefly away
makes the task retry with backoff; when retrying is impossible too, the sweep finds the build
stalled and queues it again (lims/sessions/builds.py).
"""
import logging

from celery import group, shared_task
from kombu.exceptions import OperationalError as BrokerError

from lims.records import pipeline

log = logging.getLogger(__name__)

RETRY = {"autoretry_for": (*pipeline.TRANSIENT, BrokerError, ConnectionError, TimeoutError), "retry_backoff": True,
         "retry_backoff_max": 300, "max_retries": 8}


@shared_task(acks_late=True, **RETRY)
def build_session(session_id: str) -> str:
    """Claim the build of an ended session and fan extraction out over the workers."""
    batches = pipeline.start(session_id)
    if batches is None:
        return "skipped"
    if not batches:
        finish_session.delay(session_id)
        return "finishing"
    group(extract_files.s(batch).set(queue=queue) for queue, batch in batches).apply_async()
    return f"extracting {sum(len(batch) for _queue, batch in batches)} files"


@shared_task(bind=True, acks_late=True, **RETRY)
def extract_files(self, file_ids: list[int]) -> str | None:
    """Extract a batch of files; the batch that completes the session queues its finish."""
    # Which worker read which file, from which queue (lims.records.routing decides the queue).
    queue = (self.request.delivery_info or {}).get("routing_key") or "-"
    log.info("reading files %s from queue %s on %s", file_ids, queue, self.request.hostname)
    session_id = pipeline.extract_batch(file_ids)
    if session_id:
        finish_session.delay(session_id)
    return session_id


@shared_task(acks_late=True, **RETRY)
def finish_session(session_id: str) -> str:
    """Group, build, validate and store the record of a fully extracted session."""
    return pipeline.finish(session_id)
