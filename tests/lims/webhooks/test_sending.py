"""Sending to a real local receiver that verifies Standard Webhooks signatures: the secret shown once,
retries on the schedule, the log, no redirects followed, an endpoint disabled after 10 failed messages."""
import pytest
from django.utils import timezone

from lims.webhooks import sending
from lims.webhooks.models import Endpoint, Message
from tests.receivers import WebhookReceiver

PAYLOAD = {"type": "record.completed", "id": "evt_1", "timestamp": "2026-01-01T00:00:00+00:00", "data": {"record": 1}}


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_RETRY_SECONDS = [60, 300]


def _endpoint(owner, receiver) -> Endpoint:
    endpoint = Endpoint.objects.create(owner=owner, url=receiver.url)
    receiver.secret = endpoint.secret
    return endpoint


def test_the_secret_is_shown_once(api, cast):
    alice = api(cast.tokens["alice"])
    made = alice.post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook"}, format="json").json()
    assert made["secret"].startswith("whsec_")
    assert "secret" not in alice.get(f"/api/v1/webhooks/{made['id']}/").json()
    assert "secret" not in alice.get("/api/v1/webhooks/").json()["results"][0]


def test_a_signed_message_is_accepted_and_logged(cast):
    with WebhookReceiver() as receiver:
        endpoint = _endpoint(cast.alice, receiver)
        message = sending.enqueue(endpoint, PAYLOAD, "msg_test_1")
        assert sending.send(message.pk) == Message.State.SUCCEEDED
    assert receiver.refused == 0
    assert receiver.received == [(200, "msg_test_1", PAYLOAD)]
    message.refresh_from_db()
    assert (message.attempts, message.last_status_code) == (1, 200)
    assert [(a.status_code, a.succeeded) for a in message.log.all()] == [(200, True)]


def test_a_failed_attempt_is_retried_on_the_schedule(cast):
    with WebhookReceiver(status=500) as receiver:
        endpoint = _endpoint(cast.alice, receiver)
        message = sending.enqueue(endpoint, PAYLOAD, "msg_test_2")
        before = timezone.now()
        assert sending.send(message.pk) == Message.State.PENDING
        message.refresh_from_db()
        assert 59 <= (message.next_attempt - before).total_seconds() <= 62
        assert sending.send(message.pk) is None  # not due yet
        Message.objects.filter(pk=message.pk).update(next_attempt=timezone.now())
        assert sending.send(message.pk) == Message.State.PENDING
        message.refresh_from_db()
        assert 299 <= (message.next_attempt - before).total_seconds() <= 302
        Message.objects.filter(pk=message.pk).update(next_attempt=timezone.now())
        assert sending.send(message.pk) == Message.State.FAILED  # the schedule is used up
    message.refresh_from_db()
    assert [a.status_code for a in message.log.all()] == [500, 500, 500]
    assert Endpoint.objects.get(pk=endpoint.pk).failed_in_a_row == 1


def test_a_redirect_is_not_followed(cast, settings):
    settings.WEBHOOK_RETRY_SECONDS = []
    with WebhookReceiver(status=302) as receiver:
        endpoint = _endpoint(cast.alice, receiver)
        message = sending.enqueue(endpoint, PAYLOAD, "msg_test_3")
        assert sending.send(message.pk) == Message.State.FAILED
    assert len(receiver.received) == 1
    assert Message.objects.get(pk=message.pk).last_status_code == 302


def test_an_endpoint_is_disabled_after_ten_failed_messages_and_its_owner_told(cast, settings, mailoutbox,
                                                                              django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_SECONDS = []
    with WebhookReceiver(status=500) as receiver:
        endpoint = _endpoint(cast.alice, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(sending.MAX_FAILED_MESSAGES):
                message = Message.objects.create(endpoint=endpoint, message_id=f"msg_{number}", event_type="x",
                                                 payload=PAYLOAD, next_attempt=timezone.now())
                assert sending.send(message.pk) == Message.State.FAILED
        endpoint.refresh_from_db()
        assert not endpoint.active and "10 messages in a row" in endpoint.disabled_reason
        assert sending.enqueue(endpoint, PAYLOAD, "msg_after") is None
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert endpoint.url in mailoutbox[0].body


def test_a_refused_address_is_an_attempt_that_failed(cast, settings):
    settings.WEBHOOK_RETRY_SECONDS = []
    endpoint = Endpoint.objects.create(owner=cast.alice, url="http://10.0.0.1/hook")
    settings.WEBHOOK_ALLOWED_HOSTS = []
    message = sending.enqueue(endpoint, PAYLOAD, "msg_internal")
    assert sending.send(message.pk) == Message.State.FAILED
    assert "private or internal" in message.log.get().error


def _resolving(monkeypatch, *answers):
    """Make host names resolve to `answers` in turn (the last one from then on), as a changing DNS would."""
    import socket

    from lims.webhooks import addresses

    real, given = socket.getaddrinfo, list(answers)

    def getaddrinfo(host, port, *args, **kwargs):
        if host.endswith(".test"):
            address = given.pop(0) if len(given) > 1 else given[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_points_inside_after_the_check_is_not_connected_to(cast, settings, monkeypatch):
    settings.WEBHOOK_RETRY_SECONDS = []
    with WebhookReceiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        endpoint = Endpoint.objects.create(owner=cast.alice, url=f"http://rebinding.test:{port}/hook")
        settings.WEBHOOK_ALLOWED_HOSTS = []
        _resolving(monkeypatch, "93.184.215.14", "127.0.0.1")  # public when checked, loopback when connecting
        message = sending.enqueue(endpoint, PAYLOAD, "msg_rebinding")
        assert sending.send(message.pk) == Message.State.FAILED
    assert receiver.received == []
    assert "127.0.0.1, a private or internal address" in message.log.get().error


def test_the_connection_goes_to_the_address_the_name_was_checked_at(cast, settings, monkeypatch):
    with WebhookReceiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        endpoint = Endpoint.objects.create(owner=cast.alice, url=f"http://receiver.test:{port}/hook")
        receiver.secret = endpoint.secret
        settings.WEBHOOK_ALLOWED_HOSTS = ["receiver.test"]
        _resolving(monkeypatch, "127.0.0.1")
        message = sending.enqueue(endpoint, PAYLOAD, "msg_named")
        assert sending.send(message.pk) == Message.State.SUCCEEDED
    assert receiver.received == [(200, "msg_named", PAYLOAD)]
