"""Fixtures for mail tests: a real SMTP server the settings point at, and the records test set."""
import sys
from pathlib import Path

import pytest

from tests.receivers import SmtpServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))

from record_factory import make_sample_set  # noqa: E402


@pytest.fixture
def smtp(settings):
    """An aiosmtpd server on a free port; its received messages are `smtp.messages`."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.SITE_URL = "https://lims.example.org"
        yield server


@pytest.fixture
def records(cast):
    return make_sample_set(cast)
