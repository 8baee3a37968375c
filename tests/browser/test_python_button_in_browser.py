"""The "Python" button on record and file pages shows the few lines that fetch that record or file,
and the pages stay free of serious accessibility problems with it open."""
import pytest
from conftest import log_in, serious_accessibility_problems, wider_than_the_screen

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_the_record_and_file_pages_show_their_python_lines(page, live_server, records, artifacts):
    record = records["platinum"]
    data_file = record.session.files.get(relative_path="area1/survey_001.dm3")
    log_in(page, live_server, "alice", then=f"/records/{record.pk}/")
    code = page.locator("details.python pre code")
    assert not code.is_visible()
    page.click("details.python summary")
    text = code.inner_text()
    assert f"records.get({record.pk})" in text and f'record.download("record-{record.pk}")' in text
    assert f"LIMS_URL={live_server.url}" in text
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(artifacts / "record-python.png"), full_page=True)

    page.goto(f"{live_server.url}/records/{record.pk}/files/{data_file.pk}/view/")
    page.click("details.python summary")
    text = page.locator("details.python pre code").inner_text()
    assert f"record.file({data_file.pk})" in text and "file.load()" in text
    assert serious_accessibility_problems(page) == []


def test_the_notification_pages_have_no_serious_accessibility_problems(page, live_server, records):
    from lims.searches.models import SavedSearch

    saved = SavedSearch.objects.create(owner=records["platinum"].session.account, name="Titan", query="instrument:titan")
    log_in(page, live_server, "alice")
    for path in ("/searches/", f"/searches/{saved.pk}/", "/subscriptions/", "/webhooks/", "/accounts/notifications/"):
        page.goto(f"{live_server.url}{path}")
        assert serious_accessibility_problems(page) == [], path
    page.goto(f"{live_server.url}/searches/{saved.pk}/")
    assert "1 record match now" in page.inner_text("#preview-counts")


def test_on_a_phone_the_open_python_lines_fit_the_screen(phone, live_server, records):
    record = records["platinum"]
    log_in(phone, live_server, "alice", then=f"/records/{record.pk}/")
    phone.click("details.python summary")
    assert phone.locator("details.python pre code").is_visible()
    assert wider_than_the_screen(phone) == []
