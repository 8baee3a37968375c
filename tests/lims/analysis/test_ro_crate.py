"""GET /api/v1/records/<id>/ro-crate: an RO-Crate zip of the record; a Process Run Crate for a derived record."""
import email.message
import io
import json
import urllib.request
import zipfile
from importlib import resources

import pytest
import requests
import urllib3

from lims.analysis import services


def _crate(client, record_id) -> tuple[dict, list]:
    answer = client.get(f"/api/v1/records/{record_id}/ro-crate")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    return json.loads(archive.read("ro-crate-metadata.json")), archive.namelist()


def test_a_derived_record_is_a_process_run_crate(cast, api, built_record, run_inline, tmp_path):
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk, params={"bins": 5}))
    run.refresh_from_db()
    derived = run.output_record
    client = api(cast.tokens["alice"])
    metadata, names = _crate(client, derived.pk)
    assert {"record.xml", "files/fringes-stats.json", "files/summary.json"} <= set(names)
    graph = {entity["@id"]: entity for entity in metadata["@graph"]}
    root = graph["./"]
    assert {"@id": "https://w3id.org/ro/wfrun/process/0.5"} in root["conformsTo"]
    [action] = [e for e in graph.values() if e["@type"] == "CreateAction"]
    assert graph[action["instrument"]["@id"]]["softwareVersion"] == "1.0"
    results = {r["@id"] for r in action["result"]}
    assert "files/fringes-stats.json" in results
    used = [graph[o["@id"]] for o in action["object"]]
    assert {"File", "PropertyValue"} == {u["@type"] for u in used}
    assert any(u.get("name") == "bins" and u.get("value") == "5" for u in used)
    assert graph[action["agent"]["@id"]]["name"] == "alice"
    # an acquisition record is a plain crate of its files and XML
    metadata, names = _crate(client, record.pk)
    assert "files/fringes.tif" in names
    assert not [e for e in metadata["@graph"] if e["@type"] == "CreateAction"]
    assert api(cast.tokens["charlie"]).get(f"/api/v1/records/{derived.pk}/ro-crate").status_code == 404


def _shipped_context(url: str) -> bytes | None:
    """The RO-Crate JSON-LD context as the `rocrate` package ships it, for its w3id.org address."""
    if url.startswith("https://w3id.org/ro/crate/") and url.rstrip("/").endswith("/context"):
        return resources.files("rocrate").joinpath("data/ro-crate.jsonld").read_bytes()
    return None


class _ShippedContexts(urllib.request.BaseHandler):
    """urllib (rdflib's JSON-LD parser): the context from the package; any other address is refused."""

    handler_order = 100  # before the default https handler

    def https_open(self, request):
        body = _shipped_context(request.full_url)
        if body is None:
            raise urllib.error.URLError(f"no network here for {request.full_url}")
        headers = email.message.Message()
        headers["Content-Type"] = "application/ld+json"
        response = urllib.response.addinfourl(io.BytesIO(body), headers, request.full_url, 200)
        response.msg = "OK"
        return response


def _send_shipped_context(send):
    """requests (the validator's own checks): the same for w3id.org; any other address goes on as usual."""

    def sending(adapter, request, **kwargs):
        body = _shipped_context(request.url)
        if body is None:
            return send(adapter, request, **kwargs)
        response = requests.Response()
        response.url, response.request, response.status_code = request.url, request, 200
        response.headers["Content-Type"] = "application/ld+json"
        response.raw = urllib3.HTTPResponse(body=io.BytesIO(body), headers=dict(response.headers), status=200,
                                            preload_content=False, request_url=request.url)
        return response

    return sending


@pytest.fixture
def shipped_contexts(monkeypatch):
    """The validator reads the RO-Crate context from w3id.org, which this machine cannot reach: serve the
    copy the `rocrate` package ships for that address only."""
    send = requests.adapters.HTTPAdapter.send
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", _send_shipped_context(send))
    urllib.request.install_opener(urllib.request.build_opener(_ShippedContexts()))
    yield
    urllib.request.install_opener(None)


def _required_issues(client, record_id: int, profile: str, tmp_path) -> list[str]:
    """roc-validator's REQUIRED-level issues with the record's crate under `profile`."""
    from rocrate_validator import models, services as validator

    answer = client.get(f"/api/v1/records/{record_id}/ro-crate")
    folder = tmp_path / f"crate-{record_id}"
    zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))).extractall(folder)
    settings = models.ValidationSettings(rocrate_uri=str(folder), profile_identifier=profile,
                                         requirement_severity=models.Severity.REQUIRED)
    result = validator.validate(settings)
    return [f"{issue.check.identifier}: {issue.message}" for issue in result.get_issues()]


def test_a_process_run_crate_passes_roc_validator(cast, api, built_record, run_inline, tmp_path, shipped_contexts):
    """roc-validator finds no required-level issue with the Process Run Crate profile."""
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "image-stats", record.pk))
    run.refresh_from_db()
    assert _required_issues(api(cast.tokens["alice"]), run.output_record.pk, "process-run-crate", tmp_path) == []


def test_an_acquisition_record_crate_passes_roc_validator(cast, api, built_record, tmp_path, shipped_contexts):
    """A record that no run produced is a plain RO-Crate 1.1 with no required-level issue."""
    record = built_record()
    assert _required_issues(api(cast.tokens["alice"]), record.pk, "ro-crate-1.1", tmp_path) == []


def test_the_record_page_links_the_crate_and_a_signed_in_browser_gets_it(cast, client, built_record):
    record = built_record()
    client.force_login(cast.alice)
    page = client.get(f"/records/{record.pk}/").content.decode()
    link = f"/api/v1/records/{record.pk}/ro-crate"
    assert f'href="{link}"' in page
    metadata, names = _crate(client, record.pk)
    assert "record.xml" in names
