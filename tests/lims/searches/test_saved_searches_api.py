"""Saved searches through the API: one's own only, checked queries, and a preview through the search engine."""
from datetime import datetime, timedelta, timezone

from lims.searches.models import SavedSearch


def test_it_saves_a_search_and_lists_only_ones_own(api, cast):
    alice = api(cast.tokens["alice"])
    answer = alice.post("/api/v1/searches/", {"name": "Titan EELS", "query": "instrument:titan voltage >= 200 kV"},
                        format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["query"] == "instrument:titan voltage >= 200 kV"
    SavedSearch.objects.create(owner=cast.bob, name="Bob's", query="zeolite")
    listed = alice.get("/api/v1/searches/").json()
    assert [s["name"] for s in listed["results"]] == ["Titan EELS"]
    bobs = SavedSearch.objects.get(owner=cast.bob)
    assert alice.get(f"/api/v1/searches/{bobs.pk}/").status_code == 404
    assert alice.delete(f"/api/v1/searches/{bobs.pk}/").status_code == 404
    assert SavedSearch.objects.filter(pk=bobs.pk).exists()


def test_it_refuses_a_bad_query_naming_the_field(api, cast):
    answer = api(cast.tokens["alice"]).post("/api/v1/searches/", {"name": "broken", "query": "(titan"}, format="json")
    assert answer.status_code == 400
    assert "Invalid query" in answer.json()["errors"]["query"][0]
    assert not SavedSearch.objects.exists()


def test_it_refuses_a_second_search_of_the_same_name(api, cast):
    alice = api(cast.tokens["alice"])
    assert alice.post("/api/v1/searches/", {"name": "mine", "query": "titan"}, format="json").status_code == 201
    again = alice.post("/api/v1/searches/", {"name": "mine", "query": "talos"}, format="json")
    assert again.status_code == 400
    assert "name" in again.json()["errors"]


def test_it_refuses_instrument_tokens_and_anonymous_callers(api, cast):
    from lims.instruments.models import Instrument

    assert api().get("/api/v1/searches/").status_code in (401, 403)
    assert api(Instrument.objects.get(pid="titan").api_token).get("/api/v1/searches/").status_code == 403


def test_preview_counts_only_what_the_owner_sees(api, cast, records):
    saved = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
    preview = api(cast.tokens["alice"]).get(f"/api/v1/searches/{saved.pk}/preview/").json()
    # cathode is on the titan too, but it is charlie's private record.
    assert preview["count"] == 1
    assert [r["title"] for r in preview["records"]] == ["EELS of platinum nanoparticles"]
    assert preview["days"] == 7


def test_preview_counts_the_last_days(api, cast, records):
    from record_factory import make_record

    make_record(cast.titan, "alice", cast.alice, title="Fresh titan record",
                start=datetime.now(timezone.utc) - timedelta(days=1))
    saved = SavedSearch.objects.create(owner=cast.alice, name="titan", query="instrument:titan")
    alice = api(cast.tokens["alice"])
    preview = alice.get(f"/api/v1/searches/{saved.pk}/preview/?days=3").json()
    assert (preview["count"], preview["recent"], preview["days"]) == (2, 1, 3)
    assert preview["records"][0]["title"] == "Fresh titan record"
    assert alice.get(f"/api/v1/searches/{saved.pk}/preview/?days=zero").status_code == 400
