"""Clients for the session tests: each instrument's logger, and a way to start a session."""
import uuid

import pytest



@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords need no real hashing cost here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

@pytest.fixture
def titan(api, cast):
    """The Titan's logger: a client with the Titan's instrument token."""
    return api(cast.titan.api_token)


@pytest.fixture
def quanta(api, cast):
    return api(cast.quanta.api_token)


@pytest.fixture
def start(titan):
    """start(**fields) opens a session on the Titan through the API and returns its JSON."""

    def make(client=None, **fields):
        body = {"id": str(uuid.uuid4()), "user": "alice", **fields}
        response = (client or titan).post("/api/v1/sessions/", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return make
