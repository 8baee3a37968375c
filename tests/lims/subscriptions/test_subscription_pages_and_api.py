"""Subscriptions from the pages and the API: one's own searches and endpoints only, Backfill shows its count first."""
from lims.searches.models import SavedSearch
from lims.subscriptions.models import Delivery, Subscription
from lims.webhooks.models import Endpoint


def test_the_api_refuses_another_persons_search_or_endpoint(api, cast):
    mine = SavedSearch.objects.create(owner=cast.alice, name="mine", query="titan")
    bobs = SavedSearch.objects.create(owner=cast.bob, name="bob's", query="titan")
    bobs_endpoint = Endpoint.objects.create(owner=cast.bob, url="https://93.184.215.14/hook")
    alice = api(cast.tokens["alice"])
    answer = alice.post("/api/v1/subscriptions/", {"search": bobs.pk, "action": "email"}, format="json")
    assert answer.status_code == 400 and "search" in answer.json()["errors"]
    answer = alice.post("/api/v1/subscriptions/", {"search": mine.pk, "action": "webhook",
                                                   "endpoint": bobs_endpoint.pk}, format="json")
    assert answer.status_code == 400 and "endpoint" in answer.json()["errors"]
    answer = alice.post("/api/v1/subscriptions/", {"search": mine.pk, "action": "webhook"}, format="json")
    assert answer.status_code == 400 and "endpoint" in answer.json()["errors"]
    answer = alice.post("/api/v1/subscriptions/", {"search": mine.pk, "action": "email"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["event"] == "record.completed" and answer.json()["max_generation"] == 0


def test_backfill_counts_first_then_acts(api, cast, records, django_capture_on_commit_callbacks):
    search = SavedSearch.objects.create(owner=cast.alice, name="catalysis", query="project:catalysis")
    subscription = Subscription.objects.create(owner=cast.alice, search=search, action="email")
    alice = api(cast.tokens["alice"])
    assert alice.get(f"/api/v1/subscriptions/{subscription.pk}/backfill/").json() == {"count": 2, "queued": False}
    assert not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = alice.post(f"/api/v1/subscriptions/{subscription.pk}/backfill/")
    assert answer.status_code == 202
    deliveries = alice.get(f"/api/v1/subscriptions/{subscription.pk}/deliveries/").json()
    assert deliveries["count"] == 2 and {d["state"] for d in deliveries["results"]} == {"DONE"}


def test_the_pages_subscribe_and_show_the_backfill_count(client, cast, records):
    search = SavedSearch.objects.create(owner=cast.alice, name="catalysis", query="project:catalysis")
    client.force_login(cast.alice)
    form = client.get(f"/subscriptions/?search={search.pk}").content.decode()
    assert "catalysis" in form
    answer = client.post("/subscriptions/", {"search": search.pk, "event": "record.completed", "action": "email",
                                             "max_generation": 0})
    subscription = Subscription.objects.get()
    assert answer["Location"] == f"/subscriptions/{subscription.pk}/"
    page = client.get(f"/subscriptions/{subscription.pk}/backfill").content.decode()
    assert "<strong>2</strong> past records" in page
    assert not Delivery.objects.exists()


def test_the_webhook_page_shows_the_secret_only_once(client, cast, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    client.force_login(cast.alice)
    page = client.post("/webhooks/", {"url": "http://127.0.0.1:9/hook", "description": "lab"}).content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get("/webhooks/").content.decode()
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.pk}/").content.decode()


def test_the_api_bounds_the_action_parameters(api, cast):
    mine = SavedSearch.objects.create(owner=cast.alice, name="mine", query="titan")
    alice = api(cast.tokens["alice"])
    for params in (["a list"], {"x": "y" * 20_000}):
        answer = alice.post("/api/v1/subscriptions/", {"search": mine.pk, "action": "email", "params": params},
                            format="json")
        assert answer.status_code == 400 and "params" in answer.json()["errors"]
    assert not Subscription.objects.exists()
