"""The records REST API: search with facets, filters, errors, detail, files, XML and ZIP."""
import io
import zipfile

import pytest
from record_factory import make_record

pytestmark = pytest.mark.django_db


def test_it_searches_with_q_and_returns_facet_counts(records, cast, api):
    body = api(cast.tokens["alice"]).get("/api/v1/records/", {"q": "voltage >= 100 kV"}).json()
    assert body["count"] == 1
    assert [r["title"] for r in body["results"]] == ["EELS of platinum nanoparticles"]
    assert body["results"][0]["url"] == f"http://testserver/records/{records['platinum'].pk}/"  # absolute
    assert body["results"][0]["formats"] == ["dm3", "msa"]
    assert body["facets"]["mode"] == [{"value": "imaging", "count": 1}, {"value": "spectroscopy", "count": 1}]


def test_it_accepts_filters_as_query_parameters(records, cast, api):
    body = api(cast.tokens["alice"]).get("/api/v1/records/", {"instrument": "quanta", "year": "2024"}).json()
    assert [r["title"] for r in body["results"]] == ["SEM of zeolite crystals"]


def test_it_answers_400_with_a_message_for_a_bad_query(records, cast, api):
    response = api(cast.tokens["alice"]).get("/api/v1/records/", {"q": "voltage >= 1 nm"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid query: 'nm' is not a unit of acceleration voltage (e.g. kV)."


def test_it_answers_400_for_a_bad_page_size_and_caps_a_large_one(records, cast, api):
    client = api(cast.tokens["alice"])
    assert client.get("/api/v1/records/", {"page_size": "x"}).status_code == 400
    assert client.get("/api/v1/records/", {"page_size": 100000}).json()["count"] == 3


def test_it_pages_with_next_and_previous_links(records, cast, api):
    client = api(cast.tokens["alice"])
    first = client.get("/api/v1/records/", {"page_size": 2}).json()
    assert first["next"].endswith("page=2&page_size=2") or "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["title"] for r in second["results"]] == ["Public demo of pollen"]
    assert second["next"] is None and second["previous"] is not None
    assert client.get("/api/v1/records/", {"page": 9}).status_code == 404


def test_the_detail_has_activities_and_files_with_metadata(records, cast, api):
    record = records["platinum"]
    body = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/").json()
    assert body["project"] == "catalysis" and body["sample"] == "Pt on carbon"
    assert [a["index"] for a in body["activities"]] == [1, 2]
    assert body["activities"][0]["setup"]["acceleration_voltage"] == {"value": 200, "unit": "kV"}
    names = {f["name"]: f for f in body["files"]}
    assert names["area1/edge.msa"]["metadata"]["exposure_time"] == {"value": 2, "unit": "s"}
    assert names["area1/survey_001.dm3"]["has_preview"] is True


def test_the_xml_is_served_as_application_xml(records, cast, api):
    record = records["platinum"]
    response = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/xml")
    assert response["Content-Type"].startswith("application/xml")
    assert b"".join(response.streaming_content) == record.xml.encode()


def test_the_download_is_a_streamed_zip_of_the_record(records, cast, api):
    record = records["zeolite"]
    response = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/download")
    assert response.streaming and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.read("files/img.tif") == b"data of img.tif"


def test_the_files_list_is_paginated(cast, api):
    record = make_record(cast.titan, "alice", cast.alice, files=[{"name": f"f{i:02d}.tif", "preview": False}
                                                                  for i in range(25)])
    client = api(cast.tokens["alice"])
    first = client.get(f"/api/v1/records/{record.pk}/files/").json()
    assert first["count"] == 25 and len(first["results"]) == 20
    second = client.get(f"/api/v1/records/{record.pk}/files/", {"page": 2}).json()
    assert [f["name"] for f in second["results"]] == [f"f{i:02d}.tif" for i in range(20, 25)]


def test_the_schema_documents_the_records_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/v1/records/", "/api/v1/records/{id}/", "/api/v1/records/{id}/xml",
                 "/api/v1/records/{id}/download", "/api/v1/records/{id}/files/"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/records/"]["get"]["parameters"]}
    assert {"q", "sort", "page", "page_size", "instrument", "user", "year"} <= parameters


def test_a_page_number_far_beyond_the_end_is_404_not_an_error(records, cast, api):
    assert api(cast.tokens["alice"]).get("/api/v1/records/", {"page": 10**30}).status_code == 404
