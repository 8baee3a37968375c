"""The browser pages: detail, metadata escaping, downloads, session redirect and token."""
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from record_factory import make_record

from lims.sessions.models import Session

pytestmark = pytest.mark.django_db


def test_the_detail_page_shows_summary_activities_setup_and_files(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "Pt on carbon" in page and "catalysis" in page
    assert "Activity 1" in page and "Activity 2" in page
    assert '<th scope="row">Acceleration voltage</th><td>200 kV</td>' in page
    assert "area1/survey_001.dm3" in page and "area1/edge.msa" in page
    assert page.count('class="shot') == 2


def test_metadata_and_notes_are_escaped(records, client):
    record = records["pollen"]
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert '<th scope="row">Detector</th><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>' in page  # the activity's setup
    data_file = record.session.files.get()
    fragment = client.get(f"/records/{record.pk}/files/{data_file.pk}/metadata/").content.decode()
    assert "Same as the settings shared by activity 1." in fragment and "<script>" not in fragment


def test_it_downloads_one_file_and_its_preview(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    data_file = record.session.files.get(relative_path="area1/survey_001.dm3")
    response = client.get(f"/records/{record.pk}/files/{data_file.pk}/")
    assert b"".join(response.streaming_content) == b"data of area1/survey_001.dm3"
    assert response["Content-Disposition"] == 'attachment; filename="survey_001.dm3"'
    preview = client.get(f"/records/{record.pk}/files/{data_file.pk}/preview.png")
    assert preview["Content-Type"] == "image/png"
    assert b"".join(preview.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_zip_holds_every_file_the_xml_and_the_json(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    response = client.get(f"/records/{record.pk}/download.zip")
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    assert response["Content-Disposition"] == f'attachment; filename="record-{record.pk}.zip"'
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == ["files/area1/edge.msa", "files/area1/survey_001.dm3", "record.json",
                                              "record.xml"]
        assert archive.read("files/area1/edge.msa") == b"data of area1/edge.msa"
        assert archive.read("record.xml") == record.xml.encode()


def test_the_detail_page_uses_the_same_few_queries_for_many_files(cast, client):
    small = make_record(cast.titan, "alice", cast.alice, files=[{"name": f"f{i}.tif"} for i in range(3)])
    large = make_record(cast.titan, "alice", cast.alice,
                        files=[{"name": f"f{i}.tif", "activity": 1 + i // 100, "preview": i < 50} for i in range(600)])
    client.force_login(cast.alice)
    counts = []
    for record in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/records/{record.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_large_record_pages_its_files_500_at_a_time(cast, client):
    record = make_record(cast.titan, "alice", cast.alice,
                         files=[{"name": f"f{i:04d}.tif", "preview": False} for i in range(501)])
    client.force_login(cast.alice)
    first = client.get(f"/records/{record.pk}/").content.decode()
    second = client.get(f"/records/{record.pk}/", {"page": 2}).content.decode()
    assert "Files 1–500 of 501" in first and "f0499.tif" in first and "f0500.tif" not in first
    assert "f0500.tif" in second and "Files 501–501 of 501" in second


def test_the_session_link_redirects_once_the_record_is_built(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    response = client.get(f"/records/session/{record.session.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/records/{record.pk}/")


def test_the_session_link_says_the_record_is_being_built(cast, client):
    session = Session.objects.create(instrument=cast.titan, user="alice", account=cast.alice,
                                     state=Session.State.BUILDING)
    client.force_login(cast.alice)
    page = client.get(f"/records/session/{session.pk}/").content.decode()
    assert "This record is being built" in page
    assert '<span class="badge state-building" data-state="BUILDING">Building</span>' in page


def test_the_token_page_shows_and_regenerates_the_personal_token(cast, client):
    client.force_login(cast.alice)
    old = cast.tokens["alice"]
    assert old in client.get("/accounts/token/").content.decode()
    page = client.post("/accounts/token/").content.decode()
    from rest_framework.authtoken.models import Token

    new = Token.objects.get(user=cast.alice).key
    assert new != old and new in page and old not in page


def test_the_token_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/accounts/token/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_login_page_logs_in_with_a_django_account(cast, client):
    assert "Log in" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-password"})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_back_to_results_returns_to_the_search_the_visitor_came_from(records, cast, client):
    client.force_login(cast.alice)
    url = f"/records/{records['platinum'].pk}/"
    came = client.get(url, HTTP_REFERER="http://testserver/records/?q=platinum&sort=date").content.decode()
    assert '<a href="/records/?q=platinum&amp;sort=date">← Back to results</a>' in came
    elsewhere = client.get(url, HTTP_REFERER="https://evil.example/records/?q=x").content.decode()
    assert '<a href="/records/">← Back to results</a>' in elsewhere


def test_the_navigator_reaches_every_activity_even_on_other_pages(cast, client):
    files = [{"name": f"f{i:04d}.tif", "activity": 1 + i // 300, "preview": False} for i in range(900)]
    record = make_record(cast.titan, "alice", cast.alice, files=files)
    client.force_login(cast.alice)
    page = client.get(f"/records/{record.pk}/").content.decode()
    nav = page[page.index('class="activity-links"'):page.index("</ol>", page.index('class="activity-links"'))]
    assert '<a href="#activity-1">' in nav and '<a href="#activity-2">' in nav  # files 1-500 hold both
    assert '<a href="?page=2#activity-3">' in nav  # activity 3 starts at file 601, on the second page
