"""Sending webhook messages: signed by the Standard Webhooks specification, retried on a schedule, logged.

`enqueue` stores a message (once per message id) and sends it after commit; `send` makes one
attempt at a message that is due; `send_due` (beat) sends every message whose time has come;
`redeliver` starts a message's schedule again. After the last retry a message is FAILED and its
endpoint counts one more failure in a row; at MAX_FAILED_MESSAGES it is disabled and its owner told.
"""
import json
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from lims.core import queue
from lims.mail.messages import send_endpoint_disabled
from lims.webhooks.addresses import RefusedAddress, check_url
from lims.webhooks.models import Attempt, Endpoint, Message
from lims.webhooks.transport import checked_transport


TIMEOUT_SECONDS = 5.0
MAX_FAILED_MESSAGES = 10
LEASE = timedelta(minutes=2)  # an attempt claimed by a worker that died is taken up again after this
KEPT_RESPONSE = 500


def enqueue(endpoint: Endpoint, payload: dict, message_id: str) -> Message | None:
    """Store a message for `endpoint` and send it after commit; the stored one if `message_id` exists already."""
    if not endpoint.active:
        return None
    try:
        with transaction.atomic():
            message = Message.objects.create(endpoint=endpoint, message_id=message_id, event_type=payload["type"],
                                             payload=payload, next_attempt=timezone.now())
    except IntegrityError:
        return Message.objects.get(message_id=message_id)
    transaction.on_commit(lambda: _queue(message.pk), robust=True)
    return message


def _queue(message_id: int) -> None:
    queue.send("lims.webhooks.tasks.send_message", message_id)


def headers_for(endpoint: Endpoint, message_id: str, body: str, now=None) -> dict:
    """The Standard Webhooks headers of one sending of `body`."""
    now = now or timezone.now()
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(message_id, now, body),
        "user-agent": "LIMS-Webhooks/1",
    }


def _post(endpoint: Endpoint, message: Message) -> Attempt:
    body = json.dumps(message.payload, separators=(",", ":"))
    try:
        check_url(endpoint.url)  # the scheme and port; the transport checks the address it connects to
        with httpx.Client(transport=checked_transport(), timeout=TIMEOUT_SECONDS, follow_redirects=False,
                          trust_env=False) as client:
            answer = client.post(endpoint.url, content=body.encode(),
                                 headers=headers_for(endpoint, message.message_id, body))
    except RefusedAddress as exc:
        return Attempt(message=message, error=str(exc)[:500])
    except httpx.HTTPError as exc:
        return Attempt(message=message, error=f"{type(exc).__name__}: {exc}"[:500])
    return Attempt(message=message, status_code=answer.status_code, response=answer.text[:KEPT_RESPONSE],
                   succeeded=200 <= answer.status_code < 300)


def _retry_delays() -> list[timedelta]:
    return [timedelta(seconds=s) for s in settings.WEBHOOK_RETRY_SECONDS]


def _claim(message_id: int, now) -> Message | None:
    message = Message.objects.select_related("endpoint__owner").filter(pk=message_id).first()
    if message is None or message.state != Message.State.PENDING or message.next_attempt is None \
            or message.next_attempt > now or not message.endpoint.active:
        return None
    claimed = Message.objects.filter(pk=message_id, state=Message.State.PENDING, attempts=message.attempts,
                                     next_attempt=message.next_attempt)
    if claimed.update(next_attempt=now + LEASE) != 1:
        return None
    return message


def send(message_id: int, now=None) -> str | None:
    """One attempt at a message that is due; returns its state afterwards (None: not due, or taken)."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    attempt = _post(message.endpoint, message)
    attempt.save()
    attempts = message.attempts + 1
    delays = _retry_delays()
    if attempt.succeeded:
        state, next_attempt = Message.State.SUCCEEDED, None
    elif attempts <= len(delays):
        state, next_attempt = Message.State.PENDING, timezone.now() + delays[attempts - 1]
    else:
        state, next_attempt = Message.State.FAILED, None
    Message.objects.filter(pk=message.pk).update(state=state, attempts=attempts, next_attempt=next_attempt,
                                                 last_status_code=attempt.status_code)
    if state == Message.State.SUCCEEDED:
        Endpoint.objects.filter(pk=message.endpoint_id).update(failed_in_a_row=0)
    elif state == Message.State.FAILED:
        _count_failure(message.endpoint)
    return state


def _count_failure(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(failed_in_a_row=F("failed_in_a_row") + 1)
    reason = f"{MAX_FAILED_MESSAGES} messages in a row failed after every retry."
    disabled = Endpoint.objects.filter(pk=endpoint.pk, active=True, failed_in_a_row__gte=MAX_FAILED_MESSAGES)
    if disabled.update(active=False, disabled_reason=reason) == 1:
        endpoint.refresh_from_db()
        transaction.on_commit(lambda: send_endpoint_disabled(endpoint), robust=True)


def send_due(now=None) -> int:
    """Queue every message whose next attempt has come (beat); returns how many."""
    due = list(Message.objects.filter(state=Message.State.PENDING, next_attempt__lte=now or timezone.now(),
                                      endpoint__active=True).values_list("pk", flat=True)[:1000])
    for message_id in due:
        _queue(message_id)
    return len(due)


def redeliver(message: Message) -> None:
    """Send a message again now, with a fresh retry schedule (its log is kept)."""
    Message.objects.filter(pk=message.pk).update(state=Message.State.PENDING, attempts=0, next_attempt=timezone.now())
    transaction.on_commit(lambda: _queue(message.pk), robust=True)


def enable(endpoint: Endpoint) -> None:
    """Turn a disabled endpoint on again, its failure count cleared."""
    Endpoint.objects.filter(pk=endpoint.pk).update(active=True, failed_in_a_row=0, disabled_reason="")
