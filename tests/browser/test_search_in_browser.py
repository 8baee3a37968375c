"""The search page in Chromium: completions, several values of a facet, the date facet, the phone
layout, and no serious accessibility problems (axe-core)."""
import pytest
from conftest import log_in, serious_accessibility_problems

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_completions_appear_while_typing_and_are_chosen_with_the_keyboard(page, live_server, records):
    log_in(page, live_server, "alice")
    box = page.locator("#q")
    box.click()
    box.press_sequentially("instrument:qu", delay=20)
    option = page.locator("#completions [role=option]").first
    option.wait_for()
    assert option.inner_text().split("\n")[0] == "quanta" and "2" in option.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "completion-0"
    box.press("Enter")
    assert box.input_value() == "instrument:quanta "
    box.press("Enter")
    page.wait_for_url("**/records/?q=instrument*")
    assert page.inner_text("#total") == "2"


def test_two_values_of_one_facet_widen_and_a_second_click_removes_one(page, live_server, records):
    log_in(page, live_server, "alice")
    page.click("[data-facet=experimenter] a:has-text('alice')")
    assert page.inner_text("#total") == "1"
    page.click("[data-facet=experimenter] a:has-text('bob')")
    assert page.inner_text("#total") == "2"
    assert "user%3Aalice%2Cbob" in page.url
    assert page.locator("[data-facet=experimenter] a.active").count() == 2
    page.click("[data-facet=experimenter] a.active:has-text('alice')")
    assert page.inner_text("#total") == "1" and "user%3Abob" in page.url


def test_the_date_facet_picks_a_month_or_a_span_from_two_dates(page, live_server, records, artifacts):
    log_in(page, live_server, "alice")
    bars = page.locator("[data-facet=date] .histogram a")
    assert bars.count() == 3
    page.click("[data-facet=date] .histogram a[title^='2024-11']")
    assert page.inner_text("#total") == "1" and "date%3A2024-11" in page.url
    page.fill("#date-from", "2023-01-01")
    page.fill("#date-to", "2024-12-31")
    page.click("[data-facet=date] button:has-text('Apply')")
    page.wait_for_url("**date%3A2023-01-01..2024-12-31**")
    assert page.inner_text("#total") == "2"
    assert page.input_value("#date-from") == "2023-01-01"
    page.screenshot(path=str(artifacts / "search-date-facet.png"), full_page=True)


def test_the_csv_link_opens_the_column_choice_and_downloads_the_matches(page, live_server, records):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/?q=project:catalysis")
    page.click("a.export-link")
    page.uncheck("#export input[value=sample]")
    with page.expect_download() as download:
        page.click("#export button[type=submit]")
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "id,url,title,instrument,experimenter,project,start,files" and len(lines) == 3


def test_on_a_phone_the_list_fits_the_width_and_shows_results_before_facets(browser, live_server, records,
                                                                             artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        log_in(page, live_server, "alice")
        page.goto(f"{live_server.url}/records/?q=digitalmicrograph_2D_test_STEM_image_with_a_long_name.dm3 OR catalysis")
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"sideways scrolling: {width}"
        button = page.locator("form[role=search] button[type=submit]").bounding_box()
        assert button["x"] >= 0 and button["x"] + button["width"] <= 390 and button["y"] < 844
        results = page.locator("section.results").bounding_box()
        facets = page.locator("aside.facets").bounding_box()
        assert results["y"] < facets["y"]
        assert "Page 1 of 1" not in page.inner_text("main")
        page.screenshot(path=str(artifacts / "search-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("query", ["", "instrument:titn", "voltage >= 3 nm"])
def test_the_search_page_has_no_serious_accessibility_violations(page, live_server, records, query):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/?q={query}")
    assert serious_accessibility_problems(page) == []
