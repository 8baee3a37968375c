"""Which events a subscription acts on: its event, a matching record its owner may see, once per record."""
from lims.events.models import Event
from lims.events.outbox import emit
from lims.subscriptions import triggers
from lims.subscriptions.models import Delivery


def _complete(record, **fields):
    return emit(Event.Type.RECORD_COMPLETED, record=record, **fields)


def test_a_matching_record_is_delivered_once_even_when_completed_again(cast, records, subscribe, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    subscription = subscribe(cast.alice, "instrument:titan")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["platinum"])
        _complete(records["platinum"])  # a rebuild completes the record again
    delivery = Delivery.objects.get(subscription=subscription)
    assert (delivery.state, delivery.record, delivery.subject) == ("DONE", records["platinum"],
                                                                   f"record:{records['platinum'].pk}")
    # Besides "your record is ready", exactly one e-mail of the subscription.
    mails = [m for m in mailoutbox if m.subject.startswith("instrument:titan")]
    assert len(mails) == 1 and mails[0].to == ["alice@example.org"]
    assert "EELS of platinum" in mails[0].subject
    assert f"/records/{records['platinum'].pk}/" in mails[0].body


def test_a_record_of_another_instrument_does_not_trigger(cast, records, subscribe, django_capture_on_commit_callbacks):
    subscribe(cast.alice, "instrument:titan")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["pollen"])
    assert not Delivery.objects.exists()


def test_a_record_the_owner_cannot_see_never_triggers(cast, records, subscribe, django_capture_on_commit_callbacks):
    subscribe(cast.alice, "instrument:titan")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["cathode"])  # charlie's private record on the titan
    assert not Delivery.objects.exists()


def test_only_the_subscribed_event_triggers(cast, records, subscribe, django_capture_on_commit_callbacks):
    subscription = subscribe(cast.alice, "platinum", event="record.updated")
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["platinum"])
        first = emit(Event.Type.RECORD_UPDATED, record=records["platinum"])
        second = emit(Event.Type.RECORD_UPDATED, record=records["platinum"])
    # Each edit is its own subject: two edits, two deliveries.
    assert sorted(Delivery.objects.filter(subscription=subscription).values_list("subject", flat=True)) == \
        sorted([f"event:{first.pk}", f"event:{second.pk}"])


def test_derived_records_trigger_only_subscriptions_asking_for_their_generation(cast, records, subscribe,
                                                                               django_capture_on_commit_callbacks):
    shallow = subscribe(cast.alice, "platinum")
    deep = subscribe(cast.alice, "platinum", max_generation=1)
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["platinum"], subject="record:derived", generation=1)
    assert not Delivery.objects.filter(subscription=shallow).exists()
    assert Delivery.objects.filter(subscription=deep).count() == 1


def test_a_second_dispatch_of_the_same_event_delivers_nothing_new(cast, records, subscribe):
    subscribe(cast.alice, "platinum")
    event = _complete(records["platinum"])
    assert triggers.on_event(event) == 1
    assert triggers.on_event(event) == 0


def test_backfill_acts_once_on_past_matches_the_owner_sees(cast, records, subscribe, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    subscription = subscribe(cast.alice, "instrument:titan OR instrument:quanta")
    # platinum, zeolite and pollen: cathode is charlie's private record.
    assert len(triggers.backfill_ids(subscription)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["platinum"])
    with django_capture_on_commit_callbacks(execute=True):
        assert triggers.backfill(subscription) == 2  # platinum was delivered by its event already
        assert triggers.backfill(subscription) == 0
    assert Delivery.objects.filter(subscription=subscription, state="DONE").count() == 3
    assert len([m for m in mailoutbox if m.subject.startswith("instrument:titan OR")]) == 3


def test_a_webhook_to_a_disabled_endpoint_is_kept_pending_with_the_reason(cast, records, subscribe,
                                                                        django_capture_on_commit_callbacks):
    from lims.webhooks.models import Endpoint, Message

    endpoint = Endpoint.objects.create(owner=cast.alice, url="https://93.184.215.14/hook", active=False)
    subscription = subscribe(cast.alice, "platinum", action="webhook", endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        _complete(records["platinum"])
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.state == "PENDING" and "endpoint is disabled" in delivery.detail
    assert not Message.objects.exists()
