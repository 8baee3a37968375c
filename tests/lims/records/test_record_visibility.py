"""Private records stay invisible to outsiders everywhere: lists, facets, pages, files, downloads, API."""
import pytest

pytestmark = pytest.mark.django_db


def _urls(record):
    data_file = record.session.files.first()
    base = f"/records/{record.pk}/"
    return [base, f"{base}record.xml", f"{base}record.json", f"{base}download.zip", f"{base}files/{data_file.pk}/",
            f"{base}files/{data_file.pk}/preview.png", f"{base}files/{data_file.pk}/metadata/",
            f"/api/v1/records/{record.pk}/", f"/api/v1/records/{record.pk}/xml",
            f"/api/v1/records/{record.pk}/download", f"/api/v1/records/{record.pk}/files/"]


def test_an_outsider_gets_404_for_every_url_of_a_private_record(records, cast, client):
    client.force_login(cast.charlie)
    statuses = {url: client.get(url).status_code for url in _urls(records["platinum"])}
    assert set(statuses.values()) == {404}, statuses


def test_a_group_mate_sees_every_url_of_a_private_record(records, cast, client):
    client.force_login(cast.bob)
    statuses = {url: client.get(url).status_code for url in _urls(records["platinum"])}
    assert set(statuses.values()) == {200}, statuses


def test_staff_see_every_record(records, cast, client):
    client.force_login(cast.staff)
    assert client.get(f"/records/{records['cathode'].pk}/").status_code == 200


def test_an_anonymous_visitor_sees_public_records_only(records, client):
    assert client.get(f"/records/{records['pollen'].pk}/").status_code == 200
    assert client.get(f"/records/{records['zeolite'].pk}/").status_code == 404
    page = client.get("/records/").content.decode()
    assert "Public demo of pollen" in page and "SEM of zeolite crystals" not in page


def test_a_facility_record_is_visible_to_everyone_logged_in(records, cast, client):
    client.force_login(cast.charlie)
    assert client.get(f"/records/{records['zeolite'].pk}/").status_code == 200


def test_an_outsider_sees_neither_the_title_nor_the_facet_counts_of_a_private_record(records, cast, api):
    body = api(cast.tokens["charlie"]).get("/api/v1/records/", {"q": "", "page_size": 50}).json()
    assert "EELS of platinum nanoparticles" not in [r["title"] for r in body["results"]]
    assert {"value": "alice", "count": 1} not in body["facets"]["experimenter"]
    assert body["facets"]["instrument"] == [{"value": "quanta", "count": 2}, {"value": "titan", "count": 1}]
    assert api(cast.tokens["charlie"]).get("/api/v1/records/", {"q": "platinum"}).json()["count"] == 0


def test_an_instrument_token_sees_public_records_only(records, cast, api):
    from lims.instruments.models import Instrument

    token = Instrument.objects.get(pid="titan").api_token
    body = api(token).get("/api/v1/records/").json()
    assert [r["title"] for r in body["results"]] == ["Public demo of pollen"]


def test_the_being_built_page_of_a_private_session_is_hidden_from_outsiders(records, cast, client):
    session = records["platinum"].session
    client.force_login(cast.charlie)
    assert client.get(f"/records/session/{session.pk}/").status_code == 404


def test_making_a_session_private_later_hides_it_from_search_and_facets(records, cast):
    from lims.search.service import search

    session = records["zeolite"].session
    assert search(cast.charlie, "user:bob").total == 1
    session.visibility = "private"
    session.save()
    result = search(cast.charlie, "")
    assert result.total == 2 and ("bob", 1) not in result.facets["experimenter"]
