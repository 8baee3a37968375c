"""Every e-mail the product sends besides password resets, each from a subject and a body template.

Templates are `mail/<name>-subject.txt` and `mail/<name>-body.txt`; links are absolute (SITE_URL).
"""
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def _send(name: str, to: str, context: dict) -> None:
    context = {**context, "site_url": settings.SITE_URL}
    subject = " ".join(render_to_string(f"mail/{name}-subject.txt", context).split())
    body = render_to_string(f"mail/{name}-body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def _file_errors(record, limit: int = 20) -> list:
    return list(record.session.files.exclude(error="").order_by("relative_path")
                .values_list("relative_path", "error")[:limit])


def send_record_ready(user, record) -> None:
    """"Your record is ready": its link, how many files, and the files that could not be read."""
    _send("record_ready", user.email, {"user": user, "record": record, "errors": _file_errors(record)})


def send_digest(user, records: list) -> None:
    """The records that became ready since the last digest, one line each."""
    _send("digest", user.email, {"user": user, "records": records})


def send_subscription_mail(subscription, payload: dict) -> None:
    """A subscription's e-mail action: which search matched, the event, the record and its link."""
    _send("subscription", subscription.owner.email,
          {"subscription": subscription, "search": subscription.search, "payload": payload, "data": payload["data"]})


def send_endpoint_disabled(endpoint) -> None:
    """Tell an endpoint's owner that it was disabled, and why."""
    if endpoint.owner.email:
        _send("endpoint_disabled", endpoint.owner.email, {"endpoint": endpoint})
