"""OpenAPI additions for tus: HEAD and OPTIONS, which drf-spectacular leaves out of every schema."""
UPLOADS = "/api/v1/uploads/"
UPLOAD = "/api/v1/uploads/{id}"


def _header(name: str, description: str, kind: str = "string") -> dict:
    return {"schema": {"type": kind}, "description": description}


def _head_operation() -> dict:
    return {
        "operationId": "v1_uploads_offset",
        "summary": "Offset of an upload (tus core)",
        "description": "How many bytes of the upload the server has: resume by sending the rest from there.",
        "tags": ["v1"],
        "parameters": [
            {"in": "path", "name": "id", "required": True, "schema": {"type": "string", "format": "uuid"}},
            {"in": "header", "name": "Tus-Resumable", "required": True, "schema": {"type": "string"},
             "description": "Protocol version: 1.0.0."},
        ],
        "security": [{"tokenAuth": []}],
        "responses": {
            "200": {"description": "The upload's offset and length.", "headers": {
                "Upload-Offset": _header("Upload-Offset", "Bytes received so far.", "integer"),
                "Upload-Length": _header("Upload-Length", "Size of the whole file.", "integer"),
                "Cache-Control": _header("Cache-Control", "Always no-store."),
            }},
            "404": {"description": "No such upload visible to this token."},
        },
    }


def _options_operation() -> dict:
    return {
        "operationId": "v1_uploads_discover",
        "summary": "What this tus server supports",
        "tags": ["v1"],
        "security": [{}],
        "responses": {"204": {"description": "Capabilities in the headers.", "headers": {
            "Tus-Resumable": _header("Tus-Resumable", "1.0.0"),
            "Tus-Version": _header("Tus-Version", "1.0.0"),
            "Tus-Extension": _header("Tus-Extension", "creation,checksum,termination"),
            "Tus-Checksum-Algorithm": _header("Tus-Checksum-Algorithm", "sha1,sha256"),
            "Tus-Max-Size": _header("Tus-Max-Size", "Largest Upload-Length accepted, in bytes.", "integer"),
        }}},
    }


def add_tus_operations(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: document HEAD and OPTIONS of the tus endpoints."""
    paths = result.get("paths", {})
    if UPLOAD in paths:
        paths[UPLOAD]["head"] = _head_operation()
    if UPLOADS in paths:
        paths[UPLOADS]["options"] = _options_operation()
    return result
