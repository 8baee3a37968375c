"""The administrator's overview in Chromium at 1400 px and on a 390 px phone: the chart is drawn, nothing is
wider than the screen, nothing serious for axe-core, the Rebuild button works, and others are kept out."""
import pytest
from conftest import log_in, serious_accessibility_problems, wider_than_the_screen

from lims.sessions.models import Session
from tests.lims.operations.installation import recent_sessions

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recent(cast, make_session, transactional_db):
    return recent_sessions(cast, make_session)


def test_staff_read_the_overview_on_a_wide_screen_and_rebuild_a_session(page, live_server, recent, artifacts):
    log_in(page, live_server, "staff", then="/manage/")

    page.wait_for_selector("#usage-chart .uplot canvas")
    assert page.inner_text("h1") == "Facility overview"
    assert "the record did not validate" in page.inner_text("#builds + *")
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.click("main form button:has-text('Rebuild')")
    page.wait_for_selector(".message:has-text('is being rebuilt')")
    assert Session.objects.get(pk=recent[1].pk).state == Session.State.COMPLETED
    assert "Every build finished or is moving." in page.inner_text("main")


def test_the_overview_fits_a_phone(phone, live_server, recent, artifacts):
    log_in(phone, live_server, "staff", then="/manage/")

    phone.wait_for_selector("#usage-chart .uplot canvas")
    phone.screenshot(path=str(artifacts / "overview-phone.png"), full_page=True)
    assert wider_than_the_screen(phone) == []  # wide tables scroll inside their own box
    box = phone.evaluate("() => document.querySelector('.table-scroll').getBoundingClientRect().right")
    assert box <= 390
    assert serious_accessibility_problems(phone) == []


def test_someone_who_is_not_staff_is_refused(page, live_server, recent):
    log_in(page, live_server, "alice")

    response = page.goto(f"{live_server.url}/manage/")

    assert response.status == 403
    assert "Overview" not in page.inner_text("header")
