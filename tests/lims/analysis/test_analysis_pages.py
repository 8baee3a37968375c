"""The analysis pages: catalogue, Analyse on a record, the generated form, a run's page, my runs, lineage."""
from django.test import Client

from lims.analysis.models import Run
from tests.data import make_analysis


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_catalogue_lists_every_built_in(db):
    page = Client().get("/analysis/methods/").content.decode()
    for title in ("Image statistics", "FFT power spectrum", "Radial profile", "Spectrum peaks"):
        assert title in page


def test_the_analysis_address_leads_to_the_catalogue(db):
    answer = Client().get("/analysis/", follow=True)
    assert answer.redirect_chain[-1][0] == "/analysis/methods/" and "Image statistics" in answer.content.decode()


def test_analyse_lists_only_methods_reading_the_records_files(cast, built_record):
    record = built_record(make_analysis.make_eds_msa)
    page = _client(cast.alice).get(f"/analysis/records/{record.pk}/").content.decode()
    assert "Spectrum peaks" in page and "Image statistics" not in page
    assert _client(cast.charlie).get(f"/analysis/records/{record.pk}/").status_code == 404


def test_the_form_is_generated_from_the_schema_and_runs(cast, built_record, run_inline):
    record = built_record(make_analysis.make_eds_msa)
    client = _client(cast.alice)
    page = client.get(f"/analysis/records/{record.pk}/spectrum-peaks/").content.decode()
    assert 'name="tolerance__unit" value="eV"' in page and '<option value="eels"' in page
    file_id = record.session.files.get().pk
    answer = run_inline(lambda: client.post(f"/analysis/records/{record.pk}/spectrum-peaks/", {
        "files": [file_id], "technique": "eds", "prominence": "0.2", "tolerance": "0.03", "tolerance__unit": "keV",
        "background_width": "400", "background_width__unit": "eV", "min_energy": "150", "min_energy__unit": "eV",
        "max_peaks": "5"}))
    run = Run.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/analysis/runs/{run.pk}/"
    assert run.params["tolerance"] == {"value": 30.0, "unit": "eV"} and run.params["max_peaks"] == 5
    page = client.get(f"/analysis/runs/{run.pk}/").content.decode()
    assert "SUCCEEDED" in page and "Run again with changes" in page
    # run again with changes: the form comes back filled with this run's parameters
    again = client.get(f"/analysis/records/{record.pk}/spectrum-peaks/?from={run.pk}").content.decode()
    assert 'name="max_peaks" value="5"' in again
    # lineage on both record pages
    derived = Run.objects.get().output_record
    assert f'href="{derived.get_absolute_url()}"' in client.get(record.get_absolute_url()).content.decode()
    assert f'href="{record.get_absolute_url()}"' in client.get(derived.get_absolute_url()).content.decode()
    assert f"/analysis/runs/{run.pk}/" in client.get("/analysis/runs/").content.decode()


def test_bad_form_input_is_shown_at_its_field(cast, built_record):
    record = built_record()
    client = _client(cast.alice)
    file_id = record.session.files.get().pk
    answer = client.post(f"/analysis/records/{record.pk}/image-stats/", {"files": [file_id], "bins": "1"})
    assert answer.status_code == 400
    assert "greater than or equal to 2" in answer.content.decode()
    answer = client.post(f"/analysis/records/{record.pk}/image-stats/", {"bins": "8"})
    assert answer.status_code == 400 and "choose at least one file" in answer.content.decode()
    assert Run.objects.count() == 0


def test_an_identical_earlier_result_is_offered_on_the_form(cast, built_record, run_inline):
    record = built_record()
    client = _client(cast.alice)
    file_id = record.session.files.get().pk
    form = {"files": [file_id], "bins": "8"}
    run_inline(lambda: client.post(f"/analysis/records/{record.pk}/image-stats/", form))
    again = client.post(f"/analysis/records/{record.pk}/image-stats/", form)
    assert again.status_code == 200 and "see the earlier result" in again.content.decode()
    assert Run.objects.count() == 1
    run_inline(lambda: client.post(f"/analysis/records/{record.pk}/image-stats/", {**form, "recompute": "yes"}))
    assert Run.objects.count() == 2


def test_the_form_keeps_the_declared_order_of_parameters(cast, built_record):
    record = built_record(make_analysis.make_eds_msa)
    page = _client(cast.alice).get(f"/analysis/records/{record.pk}/spectrum-peaks/").content.decode()
    names = ["technique", "prominence", "background_width", "tolerance", "min_energy", "max_peaks"]
    positions = [page.index(f'id="param-{name}"') for name in names]
    assert positions == sorted(positions)
