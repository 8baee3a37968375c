"""The analysis API: methods with their schema, runs submitted, listed, cancelled, their log and provenance;
bad input answered 400 naming each field, with no run created."""
import time

import pytest

from lims.analysis.models import Run
from tests.data import make_analysis


def test_methods_are_listed_with_their_parameter_schema(cast, api):
    client = api(cast.tokens["alice"])
    listed = client.get("/api/v1/methods/").json()
    slugs = {m["slug"] for m in listed["results"]}
    assert {"image-stats", "fft-power-spectrum", "radial-profile", "spectrum-peaks"} <= slugs
    detail = client.get("/api/v1/methods/spectrum-peaks/").json()
    assert detail["version"] == "1.0" and detail["versions"] == ["1.0"]
    tolerance = detail["param_schema"]["properties"]["tolerance"]
    assert tolerance["x-unit"] == "eV" and tolerance["properties"]["value"]["type"] == "number"
    assert client.get("/api/v1/methods/no-such-method/").status_code == 404


def test_a_run_through_the_api(cast, api, built_record, run_inline):
    record = built_record()
    client = api(cast.tokens["alice"])
    answer = run_inline(lambda: client.post("/api/v1/runs/", {"method": "image-stats", "record": record.pk,
                                                               "params": {"bins": 16}}, format="json"))
    assert answer.status_code == 201, answer.json()
    run_id = answer.json()["id"]
    detail = client.get(f"/api/v1/runs/{run_id}/").json()
    assert detail["state"] == "SUCCEEDED" and detail["params"] == {"bins": 16}
    assert detail["output_record"] is not None
    assert [r["id"] for r in client.get("/api/v1/runs/").json()["results"]] == [run_id]
    assert client.get(f"/api/v1/runs/{run_id}/log")["Content-Type"].startswith("text/plain")
    prov = client.get(f"/api/v1/runs/{run_id}/prov").json()
    assert f"lims:records/{detail['output_record']}" in prov["entity"]
    assert prov["wasDerivedFrom"]["_:derived"]["prov:usedEntity"] == f"lims:records/{record.pk}"
    # the same request again: the earlier result is offered
    again = client.post("/api/v1/runs/", {"method": "image-stats", "record": record.pk, "params": {"bins": 16}},
                        format="json")
    assert again.status_code == 200 and again.json()["reused"] is True and again.json()["id"] == run_id
    # others cannot see alice's private run
    assert api(cast.tokens["charlie"]).get(f"/api/v1/runs/{run_id}/").status_code == 404


def test_prov_json_reads_as_a_prov_document(cast, api, built_record, run_inline):
    prov = pytest.importorskip("prov.model")
    record = built_record()
    client = api(cast.tokens["alice"])
    run_id = run_inline(lambda: client.post("/api/v1/runs/", {"method": "image-stats", "record": record.pk},
                                            format="json")).json()["id"]
    text = client.get(f"/api/v1/runs/{run_id}/prov").content.decode()
    document = prov.ProvDocument.deserialize(content=text, format="json")
    assert len(list(document.get_records(prov.ProvActivity))) == 1
    assert len(list(document.get_records(prov.ProvDerivation))) == 1
    assert len(list(document.get_records(prov.ProvUsage))) == 1


BAD = [
    ({"method": "no-such", "record": "R"}, {"method"}),
    ({"method": "image-stats", "version": "9.9", "record": "R"}, {"version"}),
    ({"method": "image-stats", "record": 999999}, {"record"}),
    ({"method": "image-stats", "record": "R", "params": {"bins": "many"}}, {"params.bins"}),
    ({"method": "image-stats", "record": "R", "params": {"bins": 1}}, {"params.bins"}),
    ({"method": "image-stats", "record": "R", "params": {"bins": 5000}}, {"params.bins"}),
    ({"method": "image-stats", "record": "R", "params": {"colour": "red"}}, {"params.colour"}),
    ({"method": "spectrum-peaks", "record": "R", "params": {"tolerance": {"value": 5, "unit": "nm"}}},
     {"params.tolerance"}),
    ({"method": "spectrum-peaks", "record": "R", "params": {"tolerance": {"value": 5, "unit": "eV**2**2**2**2**2"}}},
     {"params.tolerance"}),
    ({"method": "spectrum-peaks", "record": "R", "params": {"tolerance": {"value": 5, "unit": "furlong_per_x" * 9}}},
     {"params.tolerance"}),
    ({"method": "spectrum-peaks", "record": "R", "params": {"tolerance": {"value": 1e308, "unit": "MeV"}}},
     {"params.tolerance"}),
    ({"method": "spectrum-peaks", "record": "R", "params": {"tolerance": {"value": "NaN"}}}, {"params.tolerance"}),
    ({"method": "spectrum-peaks", "record": "R"}, {"files"}),  # the record holds an image only
    ({"method": "image-stats", "record": "R", "files": [123456]}, {"files"}),
    ({"method": "image-stats", "record": "R", "params": "bins=3"}, {"params"}),
    ({"record": "R"}, {"method"}),
    ({"method": "image-stats", "record": "seven"}, {"record"}),
]


@pytest.mark.parametrize("body,fields", BAD)
def test_bad_requests_name_each_field(cast, api, built_record, body, fields):
    record = built_record()
    body = {k: (record.pk if v == "R" else v) for k, v in body.items()}
    started = time.monotonic()
    answer = api(cast.tokens["alice"]).post("/api/v1/runs/", body, format="json")
    assert time.monotonic() - started < 5  # hostile units are refused at once, not evaluated
    assert answer.status_code == 400, answer.json()
    assert set(answer.json()["errors"]) == fields, answer.json()
    assert Run.objects.count() == 0


def test_records_others_cannot_see_cannot_be_analysed(cast, api, built_record):
    record = built_record(visibility="private", account=cast.alice)
    answer = api(cast.tokens["charlie"]).post("/api/v1/runs/", {"method": "image-stats", "record": record.pk},
                                              format="json")
    assert answer.status_code == 400 and set(answer.json()["errors"]) == {"record"}
    assert Run.objects.count() == 0


def test_files_of_formats_the_method_refuses(cast, api, built_record):
    record = built_record(make_analysis.make_fringes, make_analysis.make_eds_msa)
    spectrum = record.session.files.get(relative_path="eds.msa")
    answer = api(cast.tokens["alice"]).post("/api/v1/runs/", {"method": "image-stats", "record": record.pk,
                                                               "files": [spectrum.pk]}, format="json")
    assert answer.status_code == 400
    assert "eds.msa" in answer.json()["errors"]["files"][0]


def test_instrument_tokens_cannot_run_analyses(cast, api, built_record):
    record = built_record(visibility="public")
    answer = api(cast.titan.api_token).post("/api/v1/runs/", {"method": "image-stats", "record": record.pk},
                                            format="json")
    assert answer.status_code == 403
    assert Run.objects.count() == 0


def test_cancel_a_queued_run(cast, api, built_record, django_capture_on_commit_callbacks):
    record = built_record()
    client = api(cast.tokens["alice"])
    with django_capture_on_commit_callbacks(execute=False):
        run_id = client.post("/api/v1/runs/", {"method": "image-stats", "record": record.pk},
                             format="json").json()["id"]
    assert api(cast.tokens["bob"]).post(f"/api/v1/runs/{run_id}/cancel").status_code == 403
    answer = client.post(f"/api/v1/runs/{run_id}/cancel")
    assert answer.status_code == 202 and answer.json()["state"] == "CANCELLED"
    assert client.post(f"/api/v1/runs/{run_id}/cancel").status_code == 409


def test_the_api_is_in_the_openapi_schema(cast, api):
    schema = api(cast.tokens["alice"]).get("/api/schema/?format=json").json()
    for path in ("/api/v1/methods/", "/api/v1/methods/{slug}/", "/api/v1/runs/", "/api/v1/runs/{id}/",
                 "/api/v1/runs/{id}/cancel", "/api/v1/runs/{id}/log", "/api/v1/runs/{id}/prov"):
        assert path in schema["paths"], path
