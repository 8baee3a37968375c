"""Files may arrive after End; once a build started no new upload is accepted, late ones rebuild."""
from lims.sessions.models import DataFile, Session
from lims.uploads.models import Upload


def test_it_accepts_files_after_the_session_ended(titan_tus, session):
    session.end_now()
    assert titan_tus.send(session.pk, "late.txt", b"late").status_code == 204
    assert DataFile.objects.get().relative_path == "late.txt"


def test_it_refuses_a_new_upload_once_the_build_started(titan_tus, session):
    session.end_now()
    session.claim_build()
    response = titan_tus.create(session.pk, "late.txt", b"late")
    assert response.status_code == 409
    assert response.json()["code"] == "session_closed"
    assert Upload.objects.count() == 0


def test_it_hands_a_built_session_back_when_a_late_file_completes(titan_tus, session):
    session.end_now()
    location = titan_tus.create(session.pk, "late.txt", b"late")["Location"]
    session.claim_build()
    session.finish_build(Session.State.COMPLETED)
    # The upload began before the build; its last chunk arrives after the record was built.
    assert titan_tus.patch(location, 0, b"late").status_code == 204
    session.refresh_from_db()
    assert session.state == Session.State.ENDED
    assert DataFile.objects.get().relative_path == "late.txt"
