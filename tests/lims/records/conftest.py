"""Fixtures for record search, pages and API tests: a small known set of built records."""
import pytest
from record_factory import make_sample_set


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords are hashed with a fast hasher: these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def records(cast):
    """platinum (alice, private), zeolite (bob, facility), cathode (charlie, private), pollen (public)."""
    return make_sample_set(cast)
