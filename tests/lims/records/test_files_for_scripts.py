"""Scripts: files and previews download with a personal token, and JSON gives absolute links and local times."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin(cast):
    cast.titan.timezone = "Europe/Berlin"
    cast.titan.save()


def test_a_file_and_its_preview_download_with_a_token(records, cast, client):
    record = records["platinum"]
    data_file = record.session.files.get(relative_path="area1/survey_001.dm3")
    url = f"/records/{record.pk}/files/{data_file.pk}/"
    token = f"Token {cast.tokens['alice']}"
    response = client.get(url, HTTP_AUTHORIZATION=token)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"data of area1/survey_001.dm3"
    assert client.get(f"{url}preview.png", HTTP_AUTHORIZATION=token)["Content-Type"] == "image/png"
    assert client.get(f"/records/{record.pk}/record.json", HTTP_AUTHORIZATION=token).status_code == 200
    assert client.get(url).status_code == 404  # no session, no token: the private record is not there
    assert client.get(url, HTTP_AUTHORIZATION=f"Token {cast.tokens['charlie']}").status_code == 404
    wrong = client.get(url, HTTP_AUTHORIZATION="Token not-a-token")
    assert wrong.status_code == 401 and wrong.json()["code"] == "authentication_failed"


def test_the_files_json_gives_absolute_links_and_the_sha256(records, cast, api):
    record = records["platinum"]
    body = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/files/").json()
    first = body["results"][0]
    data_file = record.session.files.get(pk=first["id"])
    base = f"http://testserver/records/{record.pk}/files/{data_file.pk}/"
    assert first["download_url"] == base
    assert first["preview_url"] == f"{base}preview.png"
    assert first["page_url"] == f"{base}view/"
    assert first["metadata_url"] == f"http://testserver/api/v1/records/{record.pk}/files/{data_file.pk}/"
    assert first["original_metadata_url"].endswith(f"/files/{data_file.pk}/original-metadata")
    assert first["sha256"] == data_file.sha256
    one = api(cast.tokens["alice"]).get(first["metadata_url"]).json()
    assert one["metadata"] == data_file.metadata and one["download_url"] == base


def test_times_in_json_carry_the_instrument_utc_offset(berlin, records, cast, api):
    record = records["platinum"]
    body = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/").json()
    assert body["start"] == "2025-03-14T10:00:00+01:00"
    assert body["time_zone"] == "Europe/Berlin"
    assert body["activities"][0]["start"] == "2025-03-14T10:00:00+01:00"
    assert body["files"][0]["acquired"] == "2025-03-14T10:00:00+01:00"
    assert body["url"] == f"http://testserver/records/{record.pk}/"
    listed = api(cast.tokens["alice"]).get("/api/v1/records/", {"q": "platinum"}).json()["results"][0]
    assert listed["start"] == "2025-03-14T10:00:00+01:00"


def test_pages_show_times_in_the_instrument_zone_with_its_abbreviation(berlin, records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "<dd>2025-03-14 10:00–12:00 CET</dd>" in page  # the session
    assert "2025-03-14 10:00–11:00 CET" in page  # an activity, start-end
    assert '<td class="time">10:01 CET</td>' in page  # the second file


def test_record_json_download_has_absolute_urls(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    body = client.get(f"/records/{record.pk}/record.json")
    import json

    data = json.loads(body.content)
    assert data["url"] == f"http://testserver/records/{record.pk}/"
    assert all(f["download_url"].startswith("http://testserver/records/") for f in data["files"])
