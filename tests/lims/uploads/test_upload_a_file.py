"""The tus happy path: discovery, creation, HEAD, PATCH, and the file in its final place."""
import os

from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import TUS, sha256

DATA = b"electron micrograph bytes " * 1000
MTIME = 1763800000


def test_it_announces_its_tus_capabilities(titan_tus, settings):
    response = titan_tus.client.options("/api/v1/uploads/")
    assert response.status_code == 204
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,checksum,termination"
    assert response["Tus-Checksum-Algorithm"] == "sha1,sha256"
    assert response["Tus-Max-Size"] == str(settings.UPLOAD_MAX_SIZE)


def test_it_creates_an_upload_and_reports_its_offset(titan_tus, session):
    response = titan_tus.create(session.pk, "run1/image.dm3", DATA, mtime=MTIME)
    assert response.status_code == 201
    upload = Upload.objects.get()
    assert response["Location"] == f"/api/v1/uploads/{upload.pk}"
    assert response["Upload-Offset"] == "0"
    assert (upload.relative_path, upload.length, upload.sha256) == ("run1/image.dm3", len(DATA), sha256(DATA))
    assert upload.mtime.timestamp() == MTIME
    head = titan_tus.head(response["Location"])
    assert head.status_code == 200
    assert (head["Upload-Offset"], head["Upload-Length"]) == ("0", str(len(DATA)))
    assert head["Cache-Control"] == "no-store"


def test_it_stores_the_finished_file_under_the_session_folder(titan_tus, session, settings):
    created = titan_tus.create(session.pk, "run1\\image.dm3", DATA, mtime=MTIME)
    response = titan_tus.patch(created["Location"], 0, DATA)
    assert response.status_code == 204
    assert response["Upload-Offset"] == str(len(DATA))
    target = settings.DATA_ROOT / "titan" / f"{session.start:%Y}" / str(session.pk) / "run1" / "image.dm3"
    assert target.read_bytes() == DATA
    datafile = DataFile.objects.get()
    assert (datafile.relative_path, datafile.version, datafile.size) == ("run1/image.dm3", 1, len(DATA))
    assert datafile.sha256 == sha256(DATA)
    assert datafile.mtime.timestamp() == MTIME
    assert datafile.absolute_path == target
    upload = Upload.objects.get()
    assert upload.is_complete and upload.datafile == datafile
    # The .part file is gone: it was moved, not copied.
    assert not upload.part_path.exists()
    assert os.listdir(settings.DATA_ROOT / ".uploads") == []


def test_it_completes_an_empty_file_at_creation(titan_tus, session):
    response = titan_tus.create(session.pk, "empty.txt", b"")
    assert response.status_code == 201
    datafile = DataFile.objects.get()
    assert (datafile.size, datafile.sha256) == (0, sha256(b""))
    assert datafile.absolute_path.read_bytes() == b""


def test_it_counts_the_files_in_the_session(titan_tus, session):
    titan_tus.send(session.pk, "a.txt", b"a")
    titan_tus.send(session.pk, "b.txt", b"b")
    response = titan_tus.client.get(f"/api/v1/sessions/{session.pk}/")
    assert response.json()["files"] == {"uploaded": 2, "extracted": 0, "failed": 0}
    files = titan_tus.client.get(f"/api/v1/sessions/{session.pk}/files/").json()
    assert files["count"] == 2
    assert [(f["path"], f["status"], f["size"]) for f in files["results"]] == [
        ("a.txt", "uploaded", 1), ("b.txt", "uploaded", 1)
    ]


def test_it_requires_the_tus_version_header(titan_tus, session):
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="3")
    assert response.status_code == 412
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Version"] == "1.0.0"
    assert "Tus-Resumable: 1.0.0" in response.json()["detail"]


def test_it_requires_the_chunk_content_type(titan_tus, session):
    created = titan_tus.create(session.pk, "a.txt", b"abc")
    response = titan_tus.client.patch(created["Location"], b"abc", content_type="application/json",
                                      HTTP_UPLOAD_OFFSET="0", **TUS)
    assert response.status_code == 415
    assert Upload.objects.get().offset == 0


def test_it_answers_discovery_without_a_token(api, db):
    response = api().options("/api/v1/uploads/")
    assert response.status_code == 204
    assert response["Tus-Extension"] == "creation,checksum,termination"


def test_it_counts_the_files_of_each_listed_session(titan_tus, session):
    from lims.sessions.models import Session

    titan_tus.send(session.pk, "a.txt", b"a")
    DataFile.objects.create(session=session, relative_path="b.txt", sha256="0" * 64, extracted=True)
    DataFile.objects.create(session=session, relative_path="c.txt", sha256="1" * 64, extracted=True, error="bad")
    empty = Session.objects.create(instrument=session.instrument, user="bob", state=Session.State.ENDED)
    listed = {s["id"]: s["files"] for s in titan_tus.client.get("/api/v1/sessions/").json()["results"]}
    assert listed[str(session.pk)] == {"uploaded": 3, "extracted": 1, "failed": 1}
    assert listed[str(empty.pk)] == {"uploaded": 0, "extracted": 0, "failed": 0}
    detail = titan_tus.client.get(f"/api/v1/sessions/{session.pk}/").json()
    assert detail["files"] == {"uploaded": 3, "extracted": 1, "failed": 1}
