"""Fixtures for the instrument tests."""
import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords need no real hashing cost here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
