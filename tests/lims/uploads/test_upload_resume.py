"""Resuming: chunks continue from the offset the server reports; a wrong offset is refused."""
from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import sha256

DATA = bytes(range(256)) * 4096  # 1 MiB


def test_it_continues_from_the_reported_offset(titan_tus, session):
    location = titan_tus.create(session.pk, "stack.tif", DATA)["Location"]
    first = titan_tus.patch(location, 0, DATA[:300_000])
    assert first.status_code == 204 and first["Upload-Offset"] == "300000"
    # A logger restarting asks where the upload stands, then sends the rest.
    offset = int(titan_tus.head(location)["Upload-Offset"])
    assert offset == 300_000
    second = titan_tus.patch(location, offset, DATA[offset:])
    assert second.status_code == 204 and second["Upload-Offset"] == str(len(DATA))
    datafile = DataFile.objects.get()
    assert datafile.absolute_path.read_bytes() == DATA
    assert datafile.sha256 == sha256(DATA)


def test_it_refuses_a_chunk_at_the_wrong_offset(titan_tus, session):
    location = titan_tus.create(session.pk, "stack.tif", DATA)["Location"]
    titan_tus.patch(location, 0, DATA[:1000])
    response = titan_tus.patch(location, 500, DATA[500:2000])
    assert response.status_code == 409
    assert response.json()["code"] == "offset"
    assert "the upload is at 1000" in response.json()["detail"]
    upload = Upload.objects.get()
    assert upload.offset == 1000
    assert upload.part_path.read_bytes() == DATA[:1000]


def test_it_refuses_a_chunk_that_goes_past_the_length(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"12345")["Location"]
    response = titan_tus.patch(location, 0, b"1234567")
    assert response.status_code == 400
    assert "goes past Upload-Length" in response.json()["detail"]
    upload = Upload.objects.get()
    assert upload.offset == 0
    assert upload.part_path.read_bytes() == b""


def test_it_returns_the_same_upload_when_created_twice(titan_tus, session):
    first = titan_tus.create(session.pk, "stack.tif", DATA)
    titan_tus.patch(first["Location"], 0, DATA[:4096])
    again = titan_tus.create(session.pk, "stack.tif", DATA)
    assert again.status_code == 201
    assert again["Location"] == first["Location"]
    assert again["Upload-Offset"] == "4096"
    assert Upload.objects.count() == 1


def test_it_answers_a_repeated_final_chunk_as_done(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abc")["Location"]
    assert titan_tus.patch(location, 0, b"abc").status_code == 204
    # The acknowledgement was lost; the logger asks again: nothing changes.
    again = titan_tus.patch(location, 3, b"")
    assert again.status_code == 204 and again["Upload-Offset"] == "3"
    assert DataFile.objects.count() == 1


def test_it_abandons_an_incomplete_upload(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abcdef")["Location"]
    titan_tus.patch(location, 0, b"abc")
    part = Upload.objects.get().part_path
    response = titan_tus.client.delete(location, HTTP_TUS_RESUMABLE="1.0.0")
    assert response.status_code == 204
    assert Upload.objects.count() == 0
    assert not part.exists()
    assert titan_tus.head(location).status_code == 404


def test_it_keeps_a_complete_upload_when_asked_to_abandon_it(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abc")["Location"]
    titan_tus.patch(location, 0, b"abc")
    response = titan_tus.client.delete(location, HTTP_TUS_RESUMABLE="1.0.0")
    assert response.status_code == 409
    assert DataFile.objects.get().absolute_path.read_bytes() == b"abc"


def test_it_starts_over_when_the_partial_bytes_were_lost(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abcdef")["Location"]
    titan_tus.patch(location, 0, b"abc")
    Upload.objects.get().part_path.unlink()
    response = titan_tus.patch(location, 3, b"def")
    assert response.status_code == 409
    assert "starts again at 0" in response.json()["detail"]
    assert titan_tus.head(location)["Upload-Offset"] == "0"
    assert titan_tus.patch(location, 0, b"abcdef").status_code == 204
    assert DataFile.objects.get().absolute_path.read_bytes() == b"abcdef"


def test_the_database_keeps_one_upload_per_announced_file(session):
    import pytest
    from django.db import IntegrityError, transaction

    fields = {"session": session, "relative_path": "a.bin", "length": 3, "sha256": "a" * 64}
    Upload.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Upload.objects.create(**fields)
    # Without an announced sha256 nothing is merged.
    Upload.objects.create(**{**fields, "sha256": ""})
    Upload.objects.create(**{**fields, "sha256": ""})
    assert Upload.objects.count() == 3


def test_it_removes_uploads_abandoned_for_a_week(titan_tus, session):
    from datetime import timedelta

    from django.utils import timezone

    from lims.uploads.services import STALE_UPLOAD_DAYS, remove_stale_uploads

    titan_tus.create(session.pk, "old.bin", b"abcdef")
    titan_tus.send(session.pk, "done.bin", b"kept")
    old = Upload.objects.get(relative_path="old.bin")
    later = timezone.now() + timedelta(days=STALE_UPLOAD_DAYS, minutes=1)
    assert remove_stale_uploads(now=later) == 1
    assert not old.part_path.exists()
    # Complete uploads and their files stay.
    assert list(Upload.objects.values_list("relative_path", flat=True)) == ["done.bin"]
    assert DataFile.objects.get().absolute_path.read_bytes() == b"kept"
