"""A scientist finds, reads and downloads a record in Chromium; an outsider sees nothing of it."""
import io
import zipfile

import pytest
from conftest import log_in

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_a_scientist_searches_filters_opens_browses_and_downloads(page, live_server, records, artifacts):
    log_in(page, live_server, "alice")
    page.fill("input[name=q]", "catalysis")
    page.click("form[role=search] button[type=submit]")
    assert page.inner_text("#total") == "2"
    page.click("[data-facet=instrument] a:has-text('titan')")
    assert page.inner_text("#total") == "1"
    assert "instrument%3Atitan" in page.url
    page.screenshot(path=str(artifacts / "records-list.png"), full_page=True)

    page.click("text=EELS of platinum nanoparticles")
    page.wait_for_selector("h1:has-text('EELS of platinum nanoparticles')")
    assert page.inner_text("#gallery-caption") == "area1/survey_001.dm3"
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#gallery-caption") == "area1/edge.msa"
    assert page.inner_text("#gallery-position") == "2"
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#gallery-caption") == "area1/survey_001.dm3"
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#gallery-caption") == "area1/edge.msa"

    page.click("tr:has-text('survey_001.dm3') >> button.meta-toggle")
    page.wait_for_selector("tr.meta-row:not([hidden]) table.meta")
    assert "Same as the settings shared by activity 1." in page.inner_text("tr.meta-row:not([hidden])")
    assert "HAADF" in page.inner_text("#activity-1 details.setup")
    page.screenshot(path=str(artifacts / "record-detail.png"), full_page=True)

    with page.expect_download() as single:
        page.click("tr:has-text('survey_001.dm3') >> text=Download")
    assert single.value.suggested_filename == "survey_001.dm3"
    assert open(single.value.path(), "rb").read() == b"data of area1/survey_001.dm3"

    with page.expect_download() as whole:
        page.click("text=Download all (ZIP)")
    with zipfile.ZipFile(io.BytesIO(open(whole.value.path(), "rb").read())) as archive:
        assert sorted(archive.namelist()) == ["files/area1/edge.msa", "files/area1/survey_001.dm3", "record.json",
                                              "record.xml"]


def test_an_outsider_cannot_see_a_private_record_anywhere(page, live_server, records):
    record = records["platinum"]
    data_file = record.session.files.first()
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/records/?q=")
    listing = page.inner_text("main")
    assert "EELS of platinum nanoparticles" not in listing and "Cathode diffraction study" in listing
    experimenters = page.text_content("[data-facet=experimenter]").split()
    assert experimenters == ["Experimenter", "bob", "1", "charlie", "1", "dave", "1"]
    page.goto(f"{live_server.url}/records/?q=platinum")
    assert page.inner_text("#total") == "0"
    base = f"{live_server.url}/records/{record.pk}/"
    for url in (base, f"{base}files/{data_file.pk}/", f"{base}files/{data_file.pk}/preview.png", f"{base}download.zip",
                f"{base}record.xml", f"{live_server.url}/api/v1/records/{record.pk}/",
                f"{live_server.url}/api/v1/records/{record.pk}/download"):
        assert page.request.get(url).status == 404, url
    api = page.request.get(f"{live_server.url}/api/v1/records/?q=").json()
    assert "EELS of platinum nanoparticles" not in [r["title"] for r in api["results"]]
