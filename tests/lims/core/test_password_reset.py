"""Password reset mails a link only where e-mail is configured, and never says it was sent when it was not.

A real SMTP server (aiosmtpd) takes the mail."""
import pytest
from django.core import mail

from tests.live import free_port


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _smtp(settings, port):
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_without_mail_settings_the_page_says_to_ask_the_staff_and_sends_nothing(client, cast, settings):
    settings.EMAIL_CONFIGURED = False
    page = client.get("/accounts/password_reset/")
    posted = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    for response in (page, posted):
        assert response.status_code == 200
        assert b"ask the facility staff" in response.content
        assert b"sent" not in response.content
    assert mail.outbox == []


def test_with_mail_settings_the_link_is_mailed(client, cast, settings, smtp_server):
    controller, inbox = smtp_server
    _smtp(settings, controller.port)

    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == "alice@example.org"
    assert "/accounts/reset/" in inbox.messages[0].get_payload()


def test_when_the_mail_server_is_down_the_page_says_so(client, cast, settings):
    _smtp(settings, free_port())  # nothing listens there

    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})

    assert response.status_code == 503
    assert b"could not be sent" in response.content


def test_every_page_carries_a_content_security_policy(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
