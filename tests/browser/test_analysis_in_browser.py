"""Analysis in Chromium: from a record to a derived record through the generated form, a run's page following
progress live and cancelling, at desktop and phone width; axe-core finds nothing serious."""
import pytest
from conftest import log_in, serious_accessibility_problems, wider_than_the_screen

from tests.data import make_analysis

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spectrum_record(cast, make_session, tmp_path):
    from lims.records import pipeline

    path = make_analysis.make_eds_msa(tmp_path)
    session = make_session(cast.titan, {path.name: path.read_bytes()}, account=cast.alice, sample="steel")
    assert pipeline.build_now(str(session.pk)) == "COMPLETED"
    session.refresh_from_db()
    return session.record


def _queued_run(cast, record):
    """A run the broker has not taken yet (this test moves it along itself)."""
    from lims.analysis import services

    original = services.send_run
    services.send_run = lambda run_id: True
    try:
        return services.submit(cast.alice, "spectrum-peaks", record.pk)[0]
    finally:
        services.send_run = original


def test_a_scientist_analyses_a_spectrum(page, live_server, cast, spectrum_record, artifacts):
    from lims.analysis.models import Run

    log_in(page, live_server, "alice", then=f"/records/{spectrum_record.pk}/")
    page.click("#lineage >> text=Analyse")
    page.wait_for_url(f"**/analysis/records/{spectrum_record.pk}/")
    assert serious_accessibility_problems(page) == []
    assert page.locator("main h2").all_inner_texts() == ["Spectrum peaks 1.0"]
    page.click("text=Spectrum peaks")
    page.wait_for_selector("form.run-form")
    assert serious_accessibility_problems(page) == []
    page.fill("#param-tolerance", "0.03")
    page.fill("input[name=tolerance__unit]", "keV")
    page.fill("#param-prominence", "0.2")
    page.click("form.run-form button.primary")
    page.wait_for_url("**/analysis/runs/*/")
    page.wait_for_selector("#run-state:has-text('SUCCEEDED')")
    page.wait_for_selector("#run-result:not([hidden])")
    assert "Tolerance" in page.inner_text("main") and "30.0 eV" in page.inner_text("main")
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(artifacts / "analysis-run.png"), full_page=True)
    run = Run.objects.get()
    assert run.params["tolerance"] == {"value": 30.0, "unit": "eV"}
    page.click("#run-result-link")
    page.wait_for_url(f"**/records/{run.output_record.pk}/")
    assert "Derived from" in page.inner_text("#lineage")
    assert serious_accessibility_problems(page) == []
    # "Run again with changes" opens the form filled in with this run's parameters
    page.goto(f"{live_server.url}/analysis/runs/{run.pk}/")
    page.click("text=Run again with changes")
    assert page.input_value("#param-tolerance") == "30.0" and page.input_value("#param-prominence") == "0.2"
    page.goto(f"{live_server.url}/analysis/runs/")
    assert "Spectrum peaks" in page.inner_text("table.runs")
    assert serious_accessibility_problems(page) == []
    page.goto(f"{live_server.url}/analysis/methods/")
    assert serious_accessibility_problems(page) == []


def test_the_run_page_follows_a_run_live_and_cancels(page, live_server, cast, spectrum_record):
    from lims.analysis import runs
    from lims.analysis.models import Run

    run = _queued_run(cast, spectrum_record)
    log_in(page, live_server, "alice", then=f"/analysis/runs/{run.pk}/")
    assert page.inner_text("#run-state") == "QUEUED"
    runs.move(run.pk, Run.State.RUNNING)
    Run.objects.filter(pk=run.pk).update(progress=0.4, message="halfway there", log="reading eds.msa\n")
    page.wait_for_selector("#run-message:has-text('halfway there')")
    assert page.inner_text("#run-state") == "RUNNING"
    assert page.eval_on_selector("#run-progress", "e => e.value") == pytest.approx(0.4)
    assert "reading eds.msa" in page.inner_text("#run-log")
    runs.move(run.pk, Run.State.FAILED, error="RuntimeError: no peaks today")
    page.wait_for_selector("#run-error:has-text('no peaks today')")
    assert page.locator("#cancel-form").is_hidden()

    queued = _queued_run(cast, spectrum_record)
    page.goto(f"{live_server.url}/analysis/runs/{queued.pk}/")
    page.click("#cancel-form button")
    page.wait_for_selector("#run-state:has-text('CANCELLED')")
    assert Run.objects.get(pk=queued.pk).state == Run.State.CANCELLED


def test_analysis_pages_fit_a_phone(phone, live_server, cast, spectrum_record, artifacts):
    run = _queued_run(cast, spectrum_record)
    log_in(phone, live_server, "alice", then=f"/analysis/records/{spectrum_record.pk}/spectrum-peaks/")
    for url in (f"/analysis/records/{spectrum_record.pk}/spectrum-peaks/", f"/analysis/runs/{run.pk}/",
                "/analysis/runs/", "/analysis/methods/", f"/records/{spectrum_record.pk}/"):
        phone.goto(f"{live_server.url}{url}")
        assert wider_than_the_screen(phone) == [], url
        assert serious_accessibility_problems(phone) == [], url
    phone.goto(f"{live_server.url}/analysis/records/{spectrum_record.pk}/spectrum-peaks/")
    phone.screenshot(path=str(artifacts / "analysis-form-phone.png"), full_page=True)
