"""Limits and bad headers at creation: size, length, metadata, session."""
import uuid

from lims.uploads.models import Upload

from .conftest import TUS, metadata


def test_it_refuses_a_file_larger_than_the_limit(titan_tus, session, settings):
    settings.UPLOAD_MAX_SIZE = 1000
    response = titan_tus.create(session.pk, "big.bin", b"", length=1001)
    assert response.status_code == 413
    assert "at most 1000" in response.json()["detail"]
    assert Upload.objects.count() == 0


def test_it_accepts_a_file_of_exactly_the_limit(titan_tus, session, settings):
    settings.UPLOAD_MAX_SIZE = 1000
    assert titan_tus.create(session.pk, "big.bin", b"x" * 1000).status_code == 201


def test_it_requires_the_upload_length(titan_tus, session):
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_METADATA=metadata(session=session.pk,
                                     filename="a"), **TUS)
    assert response.status_code == 400
    assert "Upload-Length" in response.json()["detail"]


def test_it_rejects_metadata_that_is_not_base64(titan_tus, session):
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="3",
                                     HTTP_UPLOAD_METADATA="filename !!!notbase64", **TUS)
    assert response.status_code == 400
    assert "'filename' is not base64" in response.json()["detail"]


def test_it_requires_a_session(titan_tus, session):
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="3",
                                     HTTP_UPLOAD_METADATA=metadata(filename="a.txt"), **TUS)
    assert response.status_code == 400
    assert "session" in response.json()["detail"]


def test_it_answers_404_for_an_unknown_session(titan_tus, session):
    response = titan_tus.create(uuid.uuid4(), "a.txt", b"abc")
    assert response.status_code == 404
