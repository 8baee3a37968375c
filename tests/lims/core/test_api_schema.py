"""The OpenAPI schema renders, validates without warnings, and documents the tus headers."""
import json
from io import StringIO

from django.core.management import call_command


def test_it_serves_the_schema_with_every_api_path(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in ["/api/v1/instruments/", "/api/v1/instruments/{pid}/", "/api/v1/sessions/", "/api/v1/sessions/{id}/",
                 "/api/v1/sessions/{id}/end/", "/api/v1/sessions/{id}/heartbeat/", "/api/v1/sessions/{id}/notes/",
                 "/api/v1/sessions/{id}/files/", "/api/v1/uploads/", "/api/v1/uploads/{id}"]:
        assert path in paths, path


def test_it_documents_the_tus_methods_and_headers(client, db):
    paths = json.loads(client.get("/api/schema/", {"format": "json"}).content)["paths"]
    assert set(paths["/api/v1/uploads/"]) == {"post", "options"}
    assert set(paths["/api/v1/uploads/{id}"]) == {"head", "patch", "delete"}
    create_headers = {p["name"] for p in paths["/api/v1/uploads/"]["post"]["parameters"] if p["in"] == "header"}
    assert create_headers == {"Tus-Resumable", "Upload-Length", "Upload-Metadata"}
    assert set(paths["/api/v1/uploads/"]["post"]["responses"]["201"]["headers"]) == {"Location", "Upload-Offset"}
    patch = paths["/api/v1/uploads/{id}"]["patch"]
    assert "application/offset+octet-stream" in patch["requestBody"]["content"]
    assert "460" in patch["responses"]
    assert set(paths["/api/v1/uploads/{id}"]["head"]["responses"]["200"]["headers"]) == {
        "Upload-Offset", "Upload-Length", "Cache-Control"}


def test_it_validates_without_warnings(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--skip-checks", "--format", "openapi-json",
                 stdout=out)
    schema = json.loads(out.getvalue())
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"


def test_it_serves_the_browsable_docs(client, db):
    assert client.get("/api/docs/").status_code == 200
