"""Admin pages of instruments, sessions, files and uploads render, and their actions work."""
import pytest

from lims.instruments.models import Instrument
from lims.sessions.models import DataFile, Session, SessionEvent
from lims.uploads.models import Upload


@pytest.fixture
def admin_client_for(client, cast):
    cast.staff.is_superuser = True
    cast.staff.save()
    client.force_login(cast.staff)
    return client


@pytest.fixture
def ended(cast):
    session = Session.objects.create(instrument=cast.titan, user="alice")
    SessionEvent.objects.create(session=session, kind="NOTE", text="beam drift after lunch")
    DataFile.objects.create(session=session, relative_path="a.dm3", sha256="0" * 64, size=3)
    Upload.objects.create(session=session, relative_path="a.dm3", length=3)
    session.end_now()
    return session


@pytest.mark.parametrize("url", [
    "/admin/instruments/instrument/", "/admin/lims_sessions/session/", "/admin/lims_sessions/datafile/",
    "/admin/uploads/upload/", "/admin/lims_sessions/session/?state__exact=ENDED",
])
def test_it_renders_the_admin_lists(admin_client_for, ended, url):
    response = admin_client_for.get(url)
    assert response.status_code == 200


def test_it_shows_a_session_with_its_events_and_file_count(admin_client_for, ended):
    listing = admin_client_for.get("/admin/lims_sessions/session/").content.decode()
    assert '<td class="field-files_count">1</td>' in listing
    page = admin_client_for.get(f"/admin/lims_sessions/session/{ended.pk}/change/").content.decode()
    assert "beam drift after lunch" in page


def test_it_shows_the_token_read_only_and_rotates_it(admin_client_for, cast):
    page = admin_client_for.get(f"/admin/instruments/instrument/{cast.titan.pk}/change/").content.decode()
    assert cast.titan.api_token in page
    assert 'name="api_token"' not in page
    old = cast.titan.api_token
    response = admin_client_for.post("/admin/instruments/instrument/", {
        "action": "rotate_tokens", "_selected_action": [cast.titan.pk]})
    assert response.status_code == 302
    assert Instrument.objects.get(pk=cast.titan.pk).api_token != old
    assert Instrument.objects.get(pk=cast.quanta.pk).api_token == cast.quanta.api_token


def test_it_hands_a_finished_session_back_for_a_rebuild(admin_client_for, ended):
    ended.claim_build()
    ended.finish_build(Session.State.ERROR, "broken file")
    response = admin_client_for.post("/admin/lims_sessions/session/", {
        "action": "rebuild_record", "_selected_action": [str(ended.pk)]})
    assert response.status_code == 302
    ended.refresh_from_db()
    assert (ended.state, ended.error) == (Session.State.ENDED, "")
