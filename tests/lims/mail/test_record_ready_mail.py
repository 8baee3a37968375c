""""Your record is ready" reaches the experimenter through a real SMTP server (aiosmtpd): the link, the file
count and the files that could not be read; once per record; off or as a daily digest when they choose."""
import pytest

from lims.mail import ready
from lims.mail.models import Preference
from lims.records import pipeline
from lims.sessions.models import Session
from tests.data.make_session_files import tiff_bytes


@pytest.fixture
def build(cast, make_session, django_capture_on_commit_callbacks):
    def run(account=None, **fields):
        files = {"a.tif": tiff_bytes(1, 32), "b.tif": tiff_bytes(2, 32), "broken.dm3": b"not a DigitalMicrograph file"}
        session = make_session(cast.titan, files, account=account or cast.alice, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
        session.refresh_from_db()
        return session.record

    return run


def test_the_experimenter_gets_the_link_file_count_and_errors(cast, smtp, build):
    record = build()
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "alice@example.org"
    assert mail["Subject"] == f"Your record is ready: {record.title}"
    body = mail.get_content()
    assert f"https://lims.example.org/records/{record.pk}/" in body
    assert "3 files, 1 of them could not be read" in body
    assert "- broken.dm3: " in body


def test_a_rebuild_sends_no_second_mail(cast, smtp, build, django_capture_on_commit_callbacks):
    record = build()
    session = record.session
    assert session.request_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    assert len(smtp.messages) == 1


def test_nothing_is_sent_when_switched_off_or_without_an_address(cast, smtp, build):
    Preference.objects.create(user=cast.alice, record_ready=Preference.ReadyMail.OFF)
    build()
    cast.bob.email = ""
    cast.bob.save()
    build(account=cast.bob)
    assert smtp.messages == []


def test_the_daily_digest_lists_the_days_records_in_one_mail(cast, smtp, build):
    Preference.objects.create(user=cast.alice, record_ready=Preference.ReadyMail.DIGEST)
    first, second = build(), build(sample="second")
    assert smtp.messages == []
    assert ready.send_digests() == 1
    assert ready.send_digests() == 0  # nothing owed any more
    assert len(smtp.messages) == 1
    body = smtp.messages[0].get_content()
    assert f"/records/{first.pk}/" in body and f"/records/{second.pk}/" in body


def test_the_preference_page_switches_the_mail(client, cast):
    client.force_login(cast.alice)
    assert "alice@example.org" in client.get("/accounts/notifications/").content.decode()
    assert client.post("/accounts/notifications/", {"record_ready": "digest"}).status_code == 302
    assert ready.choice_of(cast.alice) == "digest"
    assert ready.choice_of(cast.bob) == "each"  # on by default
