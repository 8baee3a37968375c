"""What a subscription can do with a matching record: a registry of actions, each a check and a deed.

`check(owner, endpoint, params)` refuses a subscription that cannot work (a dict of field -> message
in ValidationError); `perform(delivery)` acts once for a delivery and raises when it should be tried
again. To add an action, add a choice to `Subscription.Action` and a row here.

Running a method takes `params` `{"method": slug, "version": optional, "params": {...}}`, checked by
the analysis app when the subscription is saved; each delivery submits one run with the request key
f"subscription-delivery:{delivery.pk}", and a delivery is unique per subscription and subject, so a
rebuild or a second dispatch never starts a second run.
"""
from dataclasses import dataclass
from typing import Callable

from django.core.exceptions import ValidationError

from lims.analysis import services as analysis
from lims.events.models import Event
from lims.events.payload import event_payload
from lims.mail.messages import send_subscription_mail
from lims.webhooks.sending import enqueue


@dataclass(frozen=True)
class Action:
    check: Callable
    perform: Callable


def _check_webhook(owner, endpoint, params) -> None:
    if endpoint is None:
        raise ValidationError({"endpoint": "A webhook subscription needs one of your endpoints."})
    if endpoint.owner_id != owner.pk:
        raise ValidationError({"endpoint": "This endpoint is not yours."})


def _send_webhook(delivery) -> None:
    if not delivery.subscription.endpoint.active:
        raise RuntimeError("the endpoint is disabled; enable it on its page to receive messages again")
    enqueue(delivery.subscription.endpoint, _payload(delivery), message_id=f"msg_delivery_{delivery.pk}")


def _check_email(owner, endpoint, params) -> None:
    if not owner.email:
        raise ValidationError({"action": "Your account has no e-mail address to send to."})


def _send_email(delivery) -> None:
    send_subscription_mail(delivery.subscription, _payload(delivery))


RUN_KEYS = {"method", "version", "params"}


def _check_run(owner, endpoint, params) -> None:
    unknown = sorted(set(params) - RUN_KEYS)
    if unknown:
        raise ValidationError({"params": f"unknown keys {', '.join(unknown)}; give method, version, params."})
    try:
        analysis.validate_method(params.get("method"), params.get("params") or {}, params.get("version"))
    except analysis.SubmissionError as exc:
        raise ValidationError(exc.errors) from None


def _start_run(delivery) -> None:
    params = delivery.subscription.params
    analysis.submit(delivery.subscription.owner, params.get("method"), delivery.record_id,
                    params=params.get("params") or {}, version=params.get("version"),
                    request_key=f"subscription-delivery:{delivery.pk}")


def _payload(delivery) -> dict:
    if delivery.event is not None:
        return event_payload(delivery.event)
    # A backfilled match has no event of its own: describe it as the subscription's event on that record.
    payload = event_payload(Event(type=delivery.subscription.event, record=delivery.record, created=delivery.created))
    payload["id"] = f"backfill_{delivery.pk}"
    return payload


ACTIONS = {
    "webhook": Action(check=_check_webhook, perform=_send_webhook),
    "email": Action(check=_check_email, perform=_send_email),
    "run": Action(check=_check_run, perform=_start_run),
}
