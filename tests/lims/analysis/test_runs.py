"""A run from submission to its derived record, inline (no broker): state, outputs, environment, lineage."""
import pytest

from lims.analysis import services
from lims.analysis.models import Run
from lims.records.models import Record
from lims.records.permissions import visible_records
from tests.data import make_analysis


def test_a_run_succeeds_with_a_derived_record(cast, built_record, run_inline):
    record = built_record()
    run, reused = run_inline(lambda: services.submit(cast.alice, "fft-power-spectrum", record.pk))
    assert not reused
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED, run.error + run.log
    assert run.progress == 1.0
    assert run.inputs[0]["name"] == "fringes.tif"
    assert run.params == {"window": True, "min_frequency": 0.05}
    assert run.summary["fringes.tif"]["strongest_frequency"]["value"] == pytest.approx(0.5)
    assert run.environment["python"] and "numpy" in run.environment["packages"]
    assert run.started <= run.finished
    derived = run.output_record
    assert derived is not None
    names = sorted(derived.session.files.values_list("relative_path", flat=True))
    assert names == ["fringes-fft.json", "fringes-power-spectrum.png", "fringes-radial-profile.csv", "summary.json"]
    assert derived.session.visibility == record.session.visibility
    assert derived.session.account == record.session.account
    from lims.analysis.supervisor import run_folder

    assert not run_folder(run.pk).exists()  # the working folder goes; the outputs live in the derived session


def test_the_child_gets_no_secrets(cast, built_record, run_inline, settings, monkeypatch):
    from lims.analysis.supervisor import clean_environment

    monkeypatch.setenv("SECRET_KEY", "very-secret")
    environment = clean_environment(settings.DATA_ROOT)
    assert not any("very-secret" in value for value in environment.values())
    assert not {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"} & set(environment)


def test_a_derived_record_is_as_private_as_its_input(cast, built_record, run_inline):
    record = built_record(visibility="private", account=cast.alice)
    run, _ = run_inline(lambda: services.submit(cast.bob, "image-stats", record.pk))
    run.refresh_from_db()
    derived = run.output_record
    assert derived.session.user == "bob"
    assert visible_records(cast.bob).filter(pk=derived.pk).exists()
    assert not visible_records(cast.charlie).filter(pk=derived.pk).exists()


def test_an_identical_earlier_result_is_offered(cast, built_record, run_inline):
    record = built_record()
    first, _ = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk, params={"bins": 8}))
    again, reused = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk, params={"bins": 8}))
    assert reused and again.pk == first.pk
    other, reused = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk, params={"bins": 9}))
    assert not reused and other.pk != first.pk
    forced, reused = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk, params={"bins": 8},
                                                        reuse=False))
    assert not reused and forced.pk != first.pk
    assert Record.objects.count() == 4  # the input and three derived records


def test_quantities_are_converted_to_the_declared_unit(cast, built_record, run_inline):
    record = built_record(make_analysis.make_eds_msa)
    run, _ = run_inline(lambda: services.submit(cast.alice, "spectrum-peaks", record.pk,
                                                params={"tolerance": {"value": 0.05, "unit": "keV"}}))
    run.refresh_from_db()
    assert run.params["tolerance"] == {"value": pytest.approx(50.0), "unit": "eV"}
    assert run.state == Run.State.SUCCEEDED, run.error


def test_the_derived_record_xml_has_a_valid_derivation(cast, built_record, run_inline):
    from records.validate import validate
    from records.xmlparser import parse

    record = built_record(make_analysis.make_eds_msa)
    run, _ = run_inline(lambda: services.submit(cast.alice, "spectrum-peaks", record.pk,
                                                params={"tolerance": {"value": 40, "unit": "eV"}}))
    run.refresh_from_db()
    derived = run.output_record
    assert derived.kind == Record.Kind.DERIVED and record.kind == Record.Kind.ACQUISITION
    assert derived.title.startswith(f"Spectrum peaks of record {record.pk} (")
    assert validate(derived.xml.encode()) == []
    ns = {"r": "urn:lims:record:1.0"}
    root = parse(derived.xml.encode())
    assert root.get("schemaVersion") == "1.2"
    derivation = root.find("r:derivation", ns)
    method = derivation.find("r:method", ns)
    assert (method.get("slug"), method.get("version"), method.text) == ("spectrum-peaks", "1.0", "Spectrum peaks")
    tolerance = derivation.find("r:parameters/r:param[@name='tolerance']", ns)
    assert (tolerance.text, tolerance.get("unit")) == ("40.0", "eV")
    source = record.session.files.get()
    [used] = derivation.findall("r:input", ns)
    assert (used.text, used.get("record"), used.get("sha256")) == ("eds.msa", str(record.pk), source.sha256)
    assert derivation.find("r:agent", ns).text == "alice"
