"""Delivering a subscription: once per subscription and subject, acted on after commit, tried again by beat.

`deliver` writes the Delivery row (unique per subscription and subject, so a second call is a
no-op) and queues `perform` after commit; `perform` claims the delivery with a conditional update
and runs its action; `retry_pending` (beat) queues again what is still PENDING.
"""
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from lims.core import queue
from lims.subscriptions.actions import ACTIONS
from lims.subscriptions.models import Delivery, Subscription

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
RETRY_AFTER = timedelta(seconds=60)
DETAIL_LENGTH = 2000


def deliver(subscription: Subscription, subject: str, record=None, event=None) -> Delivery | None:
    """The new Delivery, or None when this subscription already has one for `subject`."""
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(subscription=subscription, subject=subject, record=record, event=event)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _queue(delivery.pk), robust=True)
    return delivery


def _queue(delivery_id: int) -> None:
    queue.send("lims.subscriptions.tasks.perform_delivery", delivery_id)


def perform(delivery_id: int) -> str:
    """Run the action of a PENDING delivery once; returns its state afterwards."""
    delivery = Delivery.objects.select_related("subscription__endpoint", "subscription__owner", "subscription__search",
                                               "record__session__instrument", "event").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return delivery.state if delivery else "MISSING"
    claimed = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING, attempts=delivery.attempts)
    if claimed.update(attempts=F("attempts") + 1) != 1:
        return Delivery.State.PENDING  # another worker took it
    try:
        ACTIONS[delivery.subscription.action].perform(delivery)
    except Exception as exc:  # noqa: BLE001 - kept on the delivery and tried again
        log.warning("delivery %s failed: %s", delivery_id, exc)
        state = Delivery.State.FAILED if delivery.attempts + 1 >= MAX_ATTEMPTS else Delivery.State.PENDING
        Delivery.objects.filter(pk=delivery_id).update(state=state, detail=f"{type(exc).__name__}: {exc}"[:DETAIL_LENGTH])
        return state
    Delivery.objects.filter(pk=delivery_id).update(state=Delivery.State.DONE, done=timezone.now(), detail="")
    return Delivery.State.DONE


def retry_pending(now=None) -> int:
    """Queue again deliveries still PENDING after RETRY_AFTER (beat); returns how many."""
    cutoff = (now or timezone.now()) - RETRY_AFTER
    waiting = list(Delivery.objects.filter(state=Delivery.State.PENDING, created__lt=cutoff)
                   .values_list("pk", flat=True)[:1000])
    for delivery_id in waiting:
        _queue(delivery_id)
    return len(waiting)
