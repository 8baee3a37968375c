"""The record page in Chromium, built from real instrument files: times, problems, navigator, metadata, interactive
spectra, the vendor tree, the gallery, curation and the metadata table; axe-core finds nothing serious."""
import os
from datetime import timedelta

import pytest
from conftest import log_in, serious_accessibility_problems

from tests.conftest import corpus_file
from tests.data.make_session_files import T0

pytestmark = [pytest.mark.live, pytest.mark.corpus, pytest.mark.django_db(transaction=True)]

# (corpus file, seconds after T0 for its mtime); files with an acquisition time of their own are placed by it.
FILES = [
    ("rsciio/test_STEM_image.dm3", 0),
    ("rsciio/FEI-Helios-Ebeam-8bits.tif", 30),
    ("rsciio/EELS_SI.dm4", 3600),
    ("rsciio/test-EDS_spectrum.dm3", 7200),
    ("rsciio/example1.msa", 7230),
    ("nexuslims/unreadable_image.jpg", 7260),
]


@pytest.fixture
def built(cast, make_session):
    """alice's record of real files on the Titan, whose clock runs in Europe/Berlin."""
    from lims.records import pipeline
    from lims.records.models import Record

    cast.titan.timezone = "Europe/Berlin"
    cast.titan.save()
    contents = {os.path.basename(name): corpus_file(name).read_bytes() for name, _ in FILES}
    times = [T0 + timedelta(seconds=offset) for _, offset in FILES]
    session = make_session(cast.titan, contents, times=times, account=cast.alice, sample="Au nanorods",
                           project="plasmonics")
    assert pipeline.build_now(str(session.pk)) == "COMPLETED"
    return Record.objects.get(session=session)


def _row(page, name):
    return page.locator(f"tr:has(td.name:has-text('{name}'))")


def _open_details(page, name):
    _row(page, name).locator("button.meta-toggle").click()
    row_id = _row(page, name).locator("button.meta-toggle").get_attribute("aria-controls")
    details = page.locator(f"#{row_id}")
    details.locator(".file-detail").wait_for()
    return details


def test_a_scientist_reads_the_record_of_real_files(page, live_server, built, artifacts):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/{built.pk}/")
    title = page.inner_text("h1")
    assert title.startswith("FEI Titan: Au nanorods (2025-03-04 10:00 CET, alice)")
    assert page.inner_text("#summary dl").count("CET") == 1  # the session's start-end
    problems = page.inner_text("#problems")
    assert "unreadable_image.jpg" in problems and "example1.msa" in problems and "NPOINTS" in problems
    assert "badge bad" in _row(page, "unreadable_image.jpg").inner_html()
    starts = page.eval_on_selector_all(".record-nav .activity-links .muted", "els => els.map(e => e.textContent)")
    assert len(starts) == built.activity_count >= 3
    assert starts[0].startswith("1991-10-01")  # the MSA file's own acquisition time comes first
    page.screenshot(path=str(artifacts / "record-top.png"))

    hover = _row(page, "test_STEM_image.dm3").locator("td.name a")
    hover.focus()  # the preview that shows on hover also shows to the keyboard
    assert _row(page, "test_STEM_image.dm3").locator(".pop").is_visible()

    details = _open_details(page, "EELS_SI.dm4")
    activity = page.locator("section.activity:has(tr:has-text('EELS_SI.dm4'))")
    assert "Energy loss" in activity.locator("details.setup table.axes").inner_text()  # its one file's axes
    figure = details.locator("figure.plot")
    page.wait_for_function("f => f.classList.contains('drawn')", arg=figure.element_handle(), timeout=30000)
    assert figure.get_attribute("data-kind") == "spectrum_image"
    canvas = figure.locator(".navigator canvas")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)
    page.wait_for_function("f => f.dataset.loadedPixel === '1,0'", arg=figure.element_handle())
    canvas.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("f => f.dataset.loadedPixel === '1,1'", arg=figure.element_handle())
    chart = figure.locator(".u-over")
    chart_box = chart.bounding_box()
    page.mouse.move(chart_box["x"] + chart_box["width"] * 0.3, chart_box["y"] + chart_box["height"] / 2)
    legend = figure.locator(".u-legend").inner_text()
    assert "Energy loss (eV)" in legend and "—" not in legend  # hover reads energy and counts
    figure.screenshot(path=str(artifacts / "record-spectrum-image.png"))

    tree = details.locator("details.vendor-tree")
    tree.locator("summary").click()
    tree.locator(".tree .key").first.wait_for()
    tree.locator(".tree-search").fill("voltage")
    page.wait_for_function("t => /\\d+ match/.test(t.querySelector('.tree-count').textContent)",
                           arg=tree.element_handle())
    assert tree.locator(".leaf.match").count() >= 2
    assert "200000" in tree.locator(".leaf.match").all_inner_texts()[-1] or any(
        "200" in text for text in tree.locator(".leaf.match").all_inner_texts())
    tree.screenshot(path=str(artifacts / "record-vendor-tree.png"))
    page.locator(f"section.activity:has(tr:has-text('EELS_SI.dm4'))").screenshot(
        path=str(artifacts / "record-activity.png"))

    spectrum = _open_details(page, "test-EDS_spectrum.dm3").locator("figure.plot")
    page.wait_for_function("f => f.classList.contains('drawn')", arg=spectrum.element_handle(), timeout=30000)
    spectrum.screenshot(path=str(artifacts / "record-spectrum.png"))
    before = float(spectrum.get_attribute("data-x-max")) - float(spectrum.get_attribute("data-x-min"))
    over = spectrum.locator(".u-over").bounding_box()
    page.mouse.move(over["x"] + over["width"] * 0.2, over["y"] + over["height"] / 2)
    page.mouse.down()
    page.mouse.move(over["x"] + over["width"] * 0.4, over["y"] + over["height"] / 2, steps=5)
    page.mouse.up()
    after = float(spectrum.get_attribute("data-x-max")) - float(spectrum.get_attribute("data-x-min"))
    assert after < before / 3  # zoomed into a fifth of the energy range

    assert serious_accessibility_problems(page) == []


def test_the_gallery_links_each_preview_to_its_activity_and_shows_a_scale_bar(page, live_server, built):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/{built.pk}/")
    captions = []
    for _ in range(built.file_count):
        captions.append(page.inner_text("#gallery-caption"))
        if captions[-1] == "FEI-Helios-Ebeam-8bits.tif":
            break
        page.keyboard.press("ArrowRight")
    assert captions[-1] == "FEI-Helios-Ebeam-8bits.tif"
    assert page.is_visible("#gallery-scalebar") and page.inner_text("#gallery-scalebar").endswith("µm")
    link = page.get_attribute("#gallery-activity", "href")
    page.click("#gallery-activity")
    assert page.url.endswith(link)
    assert page.locator(f"{link} td.name:has-text('FEI-Helios-Ebeam-8bits.tif')").count() == 1


def test_the_experimenter_curates_the_record_in_the_browser(page, live_server, built, artifacts):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/{built.pk}/")
    page.click("text=Edit record")
    page.fill("#id_title", "Gold nanorods, EELS and EDS")
    page.fill("#id_description", "Rods from batch 7, on holey carbon.")
    page.click("main button.primary")
    assert page.inner_text("h1") == "Gold nanorods, EELS and EDS"
    assert "Saved" in page.inner_text(".message")
    assert "Rods from batch 7" in page.inner_text("#summary")
    assert "alice" in page.inner_text("#history") and "Gold nanorods" in page.inner_text("#history")
    activities = built.activity_count
    page.click("#activity-1 button:has-text('Merge with activity 2')")
    assert page.locator("section.activity").count() == activities - 1
    details = _open_details(page, "test_STEM_image.dm3")
    details.locator("textarea[name=description]").fill("Overview of rod 3")
    details.locator("button:has-text('Save description')").click()
    assert "Overview of rod 3" in _open_details(page, "test_STEM_image.dm3").inner_text()
    assert serious_accessibility_problems(page) == []


def test_the_metadata_table_sorts_filters_and_downloads_as_csv(page, live_server, built, artifacts):
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/records/{built.pk}/table/?columns=acceleration_voltage,detector")
    page.click("th button:has-text('Acceleration voltage')")
    cells = page.eval_on_selector_all("#sheet tbody tr td:nth-child(5)", "els => els.map(e => e.textContent)")
    numbers = [float(text) for text in cells if text]
    assert numbers == sorted(numbers) and len(numbers) >= 3
    page.fill("#table-filter", "EELS_SI")
    assert page.inner_text("#table-count") == "1 file"
    with page.expect_download() as download:
        page.click("text=Download CSV")
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0].endswith("Acceleration voltage (kV),Detector")
    assert serious_accessibility_problems(page) == []
