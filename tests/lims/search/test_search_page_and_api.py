"""The search page and API: facets that combine, date and numeric facets, completions, CSV, bounds."""
import csv
import io

import pytest
from record_factory import make_record

pytestmark = pytest.mark.django_db


def test_the_list_shows_cards_facets_and_a_shareable_search(records, cast, client):
    client.force_login(cast.alice)
    page = client.get("/records/", {"q": "project:catalysis"}).content.decode()
    assert '<strong id="total">2</strong>' in page
    assert "EELS of platinum nanoparticles" in page and "Public demo of pollen" not in page
    assert 'data-facet="instrument"' in page and "?q=project%3Acatalysis+instrument%3Atitan" in page
    assert f'/records/{records["platinum"].pk}/files/' in page  # representative preview thumbnail


def test_a_second_value_of_a_facet_is_added_as_either_and_removes_itself_when_active(records, cast, client):
    client.force_login(cast.alice)
    page = client.get("/records/", {"q": "user:alice"}).content.decode()
    assert "?q=user%3Aalice%2Cbob&amp;sort=date" in page
    both = client.get("/records/", {"q": "user:alice,bob"}).content.decode()
    assert '<strong id="total">2</strong>' in both
    assert '<a href="?q=user%3Abob&amp;sort=date" class="choice active">' in both


def test_a_facet_link_with_a_quoted_value_removes_itself_when_active(cast, client):
    make_record(cast.titan, "alice", cast.alice, project="big project")
    client.force_login(cast.alice)
    page = client.get("/records/", {"q": 'project:"big project"'}).content.decode()
    assert '<a href="?q=&amp;sort=date" class="choice active">' in page


def test_the_date_facet_has_month_bars_and_from_to_fields_that_become_a_range(records, cast, client):
    client.force_login(cast.alice)
    page = client.get("/records/").content.decode()
    assert "?q=date%3A2025-03&amp;sort=date" in page and 'id="date-from"' in page
    response = client.get("/records/", {"q": "platinum", "from": "2025-03-01", "to": "2025-03-31"})
    assert response["Location"] == "?q=platinum+date%3A2025-03-01..2025-03-31&sort=date"
    page = client.get("/records/", {"q": "date:2025-03-01..2025-03-31"}).content.decode()
    assert 'value="2025-03-01"' in page and 'value="2025-03-31"' in page


def test_numeric_facets_count_records_per_bucket_and_add_the_range(records, cast, client):
    client.force_login(cast.staff)
    page = client.get("/records/").content.decode()
    assert 'data-facet="voltage"' in page and "150–250 kV" in page
    body = client.get("/api/v1/records/").json()
    voltage = {b["label"]: b["count"] for b in body["numeric_facets"]["voltage"]}
    assert voltage == {"below 4 kV": 0, "4–35 kV": 1, "35–150 kV": 0, "150–250 kV": 1, "250 kV and more": 1}
    bucket = next(b for b in body["numeric_facets"]["voltage"] if b["label"] == "150–250 kV")
    assert client.get("/api/v1/records/", {"q": bucket["query"]}).json()["count"] == 1
    magnification = {b["label"]: b["count"] for b in body["numeric_facets"]["magnification"]}
    assert magnification["below 1k×"] == 0 and magnification["1k–10k×"] == 2  # 1000x counts once, in 1k-10k
    assert client.get("/api/v1/records/", {"q": "magnification 1k..<10k"}).json()["count"] == 2


def test_a_bad_query_keeps_the_previous_results_and_facets_beside_the_message(records, cast, client):
    client.force_login(cast.alice)
    response = client.get("/records/", {"q": "voltage >= 3 nm", "last": "project:catalysis"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "&#x27;nm&#x27; is not a unit of acceleration voltage" in page
    assert '<strong id="total">2</strong>' in page and 'data-facet="instrument"' in page


def test_an_empty_result_on_the_page_offers_suggestions(records, cast, client):
    client.force_login(cast.alice)
    page = client.get("/records/", {"q": "instrument:titn"}).content.decode()
    assert "Did you mean instrument:titan?" in page and "?q=instrument%3Atitan" in page


def test_a_page_past_the_last_goes_to_the_last_page(records, cast, client):
    client.force_login(cast.alice)
    response = client.get("/records/", {"q": "platinum", "page": 9})
    assert response.status_code == 302 and response["Location"] == "?q=platinum&sort=date&page=1"
    assert "Page 1 of 1" not in client.get("/records/", {"q": "platinum"}).content.decode()


def test_the_api_offers_completions_with_counts(records, cast, api):
    client = api(cast.tokens["alice"])
    assert client.get("/api/v1/search/complete", {"q": "instrument:qu"}).json() == [
        {"label": "quanta", "insert": "instrument:quanta ", "kind": "instrument", "count": 2}]
    found = client.get("/api/v1/search/complete", {"q": "platinum vol"}).json()
    assert {"label": "voltage (kV)", "insert": "platinum voltage >= ", "kind": "metadata", "count": None} in found
    names = client.get("/api/v1/search/complete", {"q": "instr"}).json()
    assert names[0]["insert"] == "instrument:"
    values = client.get("/api/v1/search/complete", {"q": "tit"}).json()
    assert {"label": "titan", "insert": "instrument:titan ", "kind": "instrument", "count": 1} in values
    # charlie's private project is not offered to alice
    assert client.get("/api/v1/search/complete", {"q": "project:bat"}).json() == []


def test_the_csv_has_the_matching_records_with_the_chosen_columns(records, cast, client, api):
    client.force_login(cast.alice)
    response = client.get("/records/export.csv", {"q": "project:catalysis", "fields": ["id", "title", "start"]})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows == [["id", "title", "start"],
                    [str(records["platinum"].pk), "EELS of platinum nanoparticles", "2025-03-14T09:00:00+00:00"],
                    [str(records["zeolite"].pk), "SEM of zeolite crystals", "2024-11-02T14:00:00+00:00"]]
    by_api = api(cast.tokens["charlie"]).get("/api/v1/records/export", {"q": "", "fields": "title,url"})
    lines = b"".join(by_api.streaming_content).decode().splitlines()
    assert lines[0] == "title,url" and len(lines) == 4 and lines[1].startswith("Cathode diffraction study,http")
    assert api(cast.tokens["alice"]).get("/api/v1/records/export", {"fields": "colour"}).status_code == 400


def test_a_csv_cell_that_looks_like_a_formula_is_defused(cast, client):
    make_record(cast.titan, "alice", cast.alice, title="=HYPERLINK(1)")
    client.force_login(cast.alice)
    body = b"".join(client.get("/records/export.csv", {"fields": "title"}).streaming_content).decode()
    assert body.splitlines()[1] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("q", [
    " ".join(["word"] * 235)[:999], "instrument:titan\x00", "(" * 300 + "a", "voltage:1kV**2**2**2**2**2**2",
])
def test_hostile_queries_get_a_clear_400_from_the_api_and_a_message_on_the_page(records, cast, api, client, q):
    response = api(cast.tokens["alice"]).get("/api/v1/records/", {"q": q})
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error" and response.json()["detail"].startswith("Invalid query: ")
    page = client.get("/records/", {"q": q})
    assert page.status_code == 400 and 'class="query-error"' in page.content.decode()


@pytest.mark.parametrize(("q", "count"), [
    ("digitalmicrograph_2D_test_STEM_image.dm3", 1), ("test_STEM_image", 1), ("-test_STEM_image", 0),
    ("test_STEM_image OR nothing", 1), ('instrument:"fei titan"', 1), ("voltage 300 kV", 1)])
def test_the_api_and_the_page_find_file_names_and_understand_not_and_or(cast, api, client, q, count):
    make_record(cast.titan, "alice", cast.alice, title="STEM", files=[
        {"name": "test_image.dm3", "metadata": {"acceleration_voltage": {"value": 300, "unit": "kV"}}},
        {"name": "digitalmicrograph_2D_test_STEM_image.dm3"}])
    assert api(cast.tokens["alice"]).get("/api/v1/records/", {"q": q}).json()["count"] == count
    client.force_login(cast.alice)
    assert f'<strong id="total">{count}</strong>' in client.get("/records/", {"q": q}).content.decode()


def test_a_nul_byte_in_a_filter_parameter_is_a_400(records, cast, api):
    response = api(cast.tokens["alice"]).get("/api/v1/records/", {"instrument": "tit\x00an"})
    assert response.status_code == 400 and "control character" in response.json()["detail"]


def test_result_cards_show_the_start_in_the_instruments_time_zone(cast, client):
    cast.titan.timezone = "Europe/Berlin"
    cast.titan.save()
    make_record(cast.titan, "alice", cast.alice, title="In Berlin")  # 2025-03-14 09:00 UTC
    client.force_login(cast.alice)
    page = client.get("/records/").content.decode()
    assert "2025-03-14 10:00 CET" in page


@pytest.mark.parametrize(("q", "status"), [
    ("instrument:\x00", 400), ("x" * 1001, 400), ('"', 200), ("user:", 200), ("date:", 200), (":::", 200),
    ("voltage >= ", 200), ("(((", 200), ("-", 200), ("instrument:\"ti", 200)])
def test_completions_answer_odd_input_without_a_server_error(records, cast, api, q, status):
    response = api(cast.tokens["alice"]).get("/api/v1/search/complete", {"q": q})
    assert response.status_code == status
    assert isinstance(response.json(), list if status == 200 else dict)
