"""tus helpers for the upload tests: an open Titan session and small create/patch/head calls."""
import base64
import hashlib
import uuid

import pytest

from lims.sessions.models import Session

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
CHUNK = "application/offset+octet-stream"


def metadata(**values) -> str:
    """`Upload-Metadata` from keyword values: key base64(value), comma-separated."""
    return ",".join(f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in values.items())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chunk_checksum(data: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


class Tus:
    """A tus client over the Django test client, one call per protocol request."""

    def __init__(self, client):
        self.client = client

    def create(self, session_id, filename, data: bytes, announce_sha=True, length=None, **extra):
        fields = {"session": session_id, "filename": filename, **extra}
        if announce_sha:
            fields["sha256"] = sha256(data)
        return self.client.post(
            "/api/v1/uploads/", HTTP_UPLOAD_LENGTH=str(len(data) if length is None else length),
            HTTP_UPLOAD_METADATA=metadata(**fields), **TUS,
        )

    def patch(self, location, offset: int, data: bytes, checksum=None):
        headers = {"HTTP_UPLOAD_OFFSET": str(offset), **TUS}
        if checksum:
            headers["HTTP_UPLOAD_CHECKSUM"] = checksum
        return self.client.patch(location, data, content_type=CHUNK, **headers)

    def head(self, location):
        return self.client.head(location, **TUS)

    def send(self, session_id, filename, data: bytes, **extra):
        """Create and send a whole file in one PATCH; returns the PATCH response."""
        created = self.create(session_id, filename, data, **extra)
        assert created.status_code == 201, created.content
        if len(data) == 0:
            return created
        return self.patch(created["Location"], 0, data)



@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords need no real hashing cost here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

@pytest.fixture
def titan_tus(api, cast):
    return Tus(api(cast.titan.api_token))


@pytest.fixture
def quanta_tus(api, cast):
    return Tus(api(cast.quanta.api_token))


@pytest.fixture
def session(cast):
    """An ACTIVE Titan session started in 2026 by alice."""
    return Session.objects.create(id=uuid.uuid4(), instrument=cast.titan, user="alice", account=cast.alice)
