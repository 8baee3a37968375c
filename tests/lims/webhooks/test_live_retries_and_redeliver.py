"""The whole chain with live processes: a build on a Celery worker completes a record, the event triggers a
subscription, its webhook goes to a real receiver answering 500, beat retries it on the schedule until FAILED,
and Redeliver through the API on gunicorn succeeds; a record of another instrument sends nothing; the
experimenter's e-mail arrives at a real SMTP server; a rebuild and a re-dispatch by beat deliver nothing twice."""
from datetime import timedelta

import pytest
from django.utils import timezone

from lims.events.models import Event
from lims.searches.models import SavedSearch
from lims.sessions.models import Session
from lims.subscriptions.models import Delivery, Subscription
from lims.webhooks.models import Endpoint, Message
from tests.data.make_session_files import tiff_bytes
from tests.live import free_port, http_json, run_celery_beat, run_celery_worker, run_gunicorn, server_env, wait_for
from tests.receivers import SmtpServer, WebhookReceiver

pytestmark = pytest.mark.live
RETRIES = 6


def _build(session, broker_url):
    from celery import Celery

    Celery(broker=broker_url, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
    Session.objects.filter(pk=session.pk).update(build_queued=timezone.now())


def test_a_failing_receiver_sees_every_retry_then_redeliver_succeeds(transactional_db, cast, make_session, broker_url,
                                                                     tmp_path, settings):
    from django.db import connection

    smtp = SmtpServer()
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     WEBHOOK_ALLOWED_HOSTS="127.0.0.1", WEBHOOK_RETRY_SECONDS=",".join(["1"] * RETRIES),
                     WEBHOOK_POLL_SECONDS=1, OUTBOX_INTERVAL_SECONDS=2, EMAIL_URL=smtp.url)
    with smtp, WebhookReceiver(status=500) as receiver, \
            run_celery_worker(env, concurrency=2, log_dir=tmp_path), \
            run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path), \
            run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web:
        endpoint = Endpoint.objects.create(owner=cast.alice, url=receiver.url)
        receiver.secret = endpoint.secret
        search = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
        Subscription.objects.create(owner=cast.alice, search=search, action="webhook", endpoint=endpoint)
        titan = make_session(cast.titan, {"a.tif": tiff_bytes(1, 32)}, account=cast.alice)
        quanta = make_session(cast.quanta, {"b.tif": tiff_bytes(2, 32)}, account=cast.alice, visibility="facility")
        _build(titan, broker_url)
        _build(quanta, broker_url)

        message = wait_for(lambda: Message.objects.filter(state=Message.State.FAILED).first(), 300,
                           what="the webhook to fail after every retry")
        assert len(receiver.received) == 1 + RETRIES
        assert {status for status, _, _ in receiver.received} == {500}
        assert {message_id for _, message_id, _ in receiver.received} == {message.message_id}
        assert receiver.refused == 0  # every request carried a valid signature
        assert [a.status_code for a in message.log.all()] == [500] * (1 + RETRIES)
        titan.refresh_from_db()
        payload = receiver.received[0][2]
        assert payload["type"] == "record.completed"
        assert payload["data"]["record"] == titan.record.pk
        assert payload["data"]["instrument"] == "titan"
        assert payload["data"]["url"].endswith(f"/records/{titan.record.pk}/")

        receiver.status = 200
        status, body = http_json(f"{web.url}/api/v1/webhook-messages/{message.pk}/redeliver/",
                                 token=cast.tokens["alice"], method="POST")
        assert status == 202, body
        wait_for(lambda: Message.objects.get(pk=message.pk).state == Message.State.SUCCEEDED, 180,
                 what="the redelivered message to succeed")
        assert receiver.received[-1][:2] == (200, message.message_id)
        wait_for(lambda: Session.objects.get(pk=quanta.pk).state in Session.FINAL_STATES, 180,
                 what="the quanta record")
        def ready_mails():
            return [m for m in smtp.messages if m["Subject"].startswith("Your record is ready")]

        ready = wait_for(lambda: len(ready_mails()) == 2 and ready_mails(), 120, what="two e-mails to alice")
        assert {m["To"] for m in ready} == {"alice@example.org"}
        assert any(f"http://127.0.0.1/records/{titan.record.pk}/" in m.get_content() for m in ready)

        # A rebuild completes the record again, and beat dispatches again an event it finds undispatched.
        assert Session.objects.get(pk=titan.pk).request_rebuild()
        _build(titan, broker_url)
        wait_for(lambda: Event.objects.filter(record=titan.record, dispatched__isnull=False).count() == 2, 180,
                 what="the rebuilt record's event to be dispatched")
        Event.objects.filter(record=titan.record).update(dispatched=None, created=timezone.now() - timedelta(hours=1))
        wait_for(lambda: not Event.objects.filter(dispatched__isnull=True).exists(), 180,
                 what="beat to dispatch the events again")
        assert len(ready_mails()) == 2

    assert Message.objects.count() == 1  # nothing for the quanta record
    assert Delivery.objects.get().record_id == titan.record.pk
    assert Endpoint.objects.get(pk=endpoint.pk).failed_in_a_row == 0  # the success cleared the count
