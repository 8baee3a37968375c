"""Two writers on one upload: the second is told to retry and nothing it sent is mixed in."""
from lims.uploads import storage
from lims.uploads.models import Upload


def test_it_refuses_a_chunk_while_another_request_is_writing(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abcdef")["Location"]
    upload = Upload.objects.get()
    with storage.locked(upload.part_path):
        response = titan_tus.patch(location, 0, b"abcdef")
    assert response.status_code == 409
    assert response.json()["code"] == "busy"
    upload.refresh_from_db()
    assert upload.offset == 0 and upload.part_path.read_bytes() == b""
    # Once the other writer is done, the same chunk goes through.
    assert titan_tus.patch(location, 0, b"abcdef").status_code == 204


def test_it_moves_the_offset_only_from_where_it_was(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", b"abcdef")["Location"]
    titan_tus.patch(location, 0, b"abc")
    # A stale writer that still believes the offset is 0 is refused; the bytes stay as they were.
    response = titan_tus.patch(location, 0, b"XYZ")
    assert response.status_code == 409
    assert Upload.objects.get().part_path.read_bytes() == b"abc"
