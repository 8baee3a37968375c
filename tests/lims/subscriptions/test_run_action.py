"""The "run a method" action: method and parameters checked when saved, one run per delivery whatever happens."""
from lims.analysis.models import Run
from lims.searches.models import SavedSearch
from lims.subscriptions.delivery import deliver, perform
from lims.subscriptions.models import Delivery, Subscription


def test_the_api_checks_the_method_and_its_parameters(api, cast):
    search = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
    alice = api(cast.tokens["alice"])

    def subscribe(params):
        return alice.post("/api/v1/subscriptions/", {"search": search.pk, "action": "run", "params": params},
                          format="json")

    answer = subscribe({"method": "no-such-method"})
    assert answer.status_code == 400 and "method" in answer.json()["errors"]
    answer = subscribe({"method": "fft-power-spectrum", "params": {"min_frequency": 7}})
    assert answer.status_code == 400 and "params.min_frequency" in answer.json()["errors"]
    answer = subscribe({"method": "fft-power-spectrum", "params": {"window": False}, "colour": "red"})
    assert answer.status_code == 400 and "params" in answer.json()["errors"]
    assert not Subscription.objects.exists()
    answer = subscribe({"method": "fft-power-spectrum", "params": {"window": False}})
    assert answer.status_code == 201, answer.content
    assert Subscription.objects.get().params == {"method": "fft-power-spectrum", "params": {"window": False}}


def test_the_page_offers_the_methods_and_checks_their_parameters(client, cast):
    search = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
    client.force_login(cast.alice)
    assert "fft-power-spectrum" in client.get("/subscriptions/").content.decode()
    fields = {"search": search.pk, "event": "record.completed", "action": "run", "max_generation": 0,
              "method": "fft-power-spectrum"}
    page = client.post("/subscriptions/", {**fields, "method_params": '{"min_frequency": 7}'}).content.decode()
    assert "params.min_frequency" in page and not Subscription.objects.exists()
    answer = client.post("/subscriptions/", {**fields, "method_params": '{"window": false}'})
    subscription = Subscription.objects.get()
    assert answer["Location"] == f"/subscriptions/{subscription.pk}/"
    assert subscription.params == {"method": "fft-power-spectrum", "params": {"window": False}}


def test_a_delivery_starts_one_run_however_often_it_is_performed(cast, built_record, subscribe,
                                                                django_capture_on_commit_callbacks):
    record = built_record()
    subscription = subscribe(cast.alice, "instrument:titan", action="run",
                             params={"method": "fft-power-spectrum", "params": {"window": False}})
    with django_capture_on_commit_callbacks(execute=False):
        delivery = deliver(subscription, f"record:{record.pk}", record=record)
        assert perform(delivery.pk) == Delivery.State.DONE
        # A delivery performed again (a worker lost after starting the run) finds the run it started.
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
        assert perform(delivery.pk) == Delivery.State.DONE
    run = Run.objects.get()
    assert run.record == record and run.requested_by == cast.alice and run.params["window"] is False
    assert run.request_key == f"subscription-delivery:{delivery.pk}"
