"""Everyday pages in Chromium at 1400 px and on a 390 px phone: landing, list, record, token; no dead ends and
nothing serious for axe-core."""
import pytest
from conftest import log_in, serious_accessibility_problems, wider_than_the_screen

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_visitor_lands_on_public_records_and_searches(page, live_server, records, artifacts):
    page.goto(f"{live_server.url}/")
    assert page.inner_text("h1") == "LIMS"
    assert "Public demo of pollen" in page.inner_text(".latest")
    assert "EELS of platinum nanoparticles" not in page.inner_text("main")
    assert serious_accessibility_problems(page) == []
    page.fill("#home-q", "pollen")
    page.click("main form[role=search] button")
    page.wait_for_url("**/records/?q=pollen")
    assert page.inner_text("#total") == "1"


def test_the_landing_list_and_token_pages_have_no_serious_accessibility_problems(page, live_server, records, artifacts):
    log_in(page, live_server, "alice", then="/")
    assert "EELS of platinum nanoparticles" in page.inner_text(".latest")
    page.screenshot(path=str(artifacts / "landing.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.goto(f"{live_server.url}/records/?q=")
    page.screenshot(path=str(artifacts / "list.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    page.goto(f"{live_server.url}/accounts/token/")
    assert serious_accessibility_problems(page) == []
    page.goto(f"{live_server.url}/records/{records['platinum'].pk}/")
    assert serious_accessibility_problems(page) == []


def test_the_token_is_copied_with_a_button_and_regenerated_only_after_asking(page, live_server, cast):
    from rest_framework.authtoken.models import Token

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/accounts/token/")
    old = cast.tokens["alice"]
    page.click("button.copy")
    page.wait_for_selector(".copied:has-text('Copied.')")
    assert page.evaluate("() => navigator.clipboard.readText()") == old
    page.click("text=Regenerate…")
    assert "Make a new token?" in page.inner_text(".confirm")
    assert Token.objects.get(user=cast.alice).key == old
    page.click("text=Keep the current token")
    assert Token.objects.get(user=cast.alice).key == old
    page.click("text=Regenerate…")
    page.click("text=Yes, make a new token")
    new = Token.objects.get(user=cast.alice).key
    assert new != old and page.input_value("#token") == new


def test_a_link_to_a_private_record_leads_through_login_to_the_record(page, live_server, records):
    record = records["platinum"]
    page.goto(f"{live_server.url}/records/{record.pk}/")
    assert page.inner_text("h1") == "Nothing to see here"
    page.click("main >> text=Log in")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "alice-password")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/records/{record.pk}/")
    assert page.inner_text("h1") == "EELS of platinum nanoparticles"


def test_on_a_phone_nothing_scrolls_sideways_and_the_search_button_shows(phone, live_server, records, artifacts):
    log_in(phone, live_server, "alice", then="/")
    assert wider_than_the_screen(phone) == []
    assert phone.locator("main form[role=search] button").is_visible()
    phone.screenshot(path=str(artifacts / "phone-landing.png"), full_page=True)
    record = records["platinum"]
    phone.goto(f"{live_server.url}/records/{record.pk}/")
    assert wider_than_the_screen(phone) == []
    row = phone.locator("tr:has-text('survey_001.dm3')")
    assert row.locator("td.name").bounding_box()["width"] > 300  # the file name gets the whole line
    row.locator("button.meta-toggle").click()
    phone.wait_for_selector("tr.meta-row:not([hidden]) .file-detail")
    assert wider_than_the_screen(phone) == []
    phone.screenshot(path=str(artifacts / "phone-record.png"), full_page=True)
    for url in ("/accounts/token/", f"/records/{record.pk}/table/", "/records/?q="):
        phone.goto(f"{live_server.url}{url}")
        assert wider_than_the_screen(phone) == [], url
