"""Checksums: a bad chunk is discarded (460) and a whole file that differs starts over."""
from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import chunk_checksum, sha256

DATA = b"0123456789" * 10_000


def test_it_accepts_a_chunk_with_a_matching_sha256(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    response = titan_tus.patch(location, 0, DATA[:5000], checksum=chunk_checksum(DATA[:5000]))
    assert response.status_code == 204 and response["Upload-Offset"] == "5000"


def test_it_accepts_a_chunk_with_a_matching_sha1(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    response = titan_tus.patch(location, 0, DATA, checksum=chunk_checksum(DATA, "sha1"))
    assert response.status_code == 204
    assert DataFile.objects.get().sha256 == sha256(DATA)


def test_it_discards_a_chunk_whose_checksum_differs(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    titan_tus.patch(location, 0, DATA[:1000])
    response = titan_tus.patch(location, 1000, DATA[1000:3000], checksum=chunk_checksum(b"something else"))
    assert response.status_code == 460
    assert response.json()["code"] == "checksum_mismatch"
    upload = Upload.objects.get()
    # The offset did not move and not one byte of the bad chunk was kept.
    assert upload.offset == 1000
    assert upload.part_path.read_bytes() == DATA[:1000]
    assert titan_tus.head(location)["Upload-Offset"] == "1000"


def test_it_rejects_an_unknown_checksum_algorithm(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    response = titan_tus.patch(location, 0, DATA, checksum="md5 AAAA")
    assert response.status_code == 400
    assert "Unsupported checksum algorithm 'md5'" in response.json()["detail"]
    assert Upload.objects.get().offset == 0


def test_it_starts_over_when_the_whole_file_differs_from_its_announced_sha256(titan_tus, session):
    created = titan_tus.create(session.pk, "a.bin", DATA)
    corrupted = DATA[:-1] + b"X"
    response = titan_tus.patch(created["Location"], 0, corrupted)
    assert response.status_code == 460
    assert "not the announced" in response.json()["detail"]
    upload = Upload.objects.get()
    assert (upload.offset, upload.completed) == (0, None)
    assert upload.part_path.read_bytes() == b""
    assert DataFile.objects.count() == 0
    # Sent again correctly, it arrives.
    assert titan_tus.patch(created["Location"], 0, DATA).status_code == 204
    assert DataFile.objects.get().sha256 == sha256(DATA)


def test_it_checks_the_whole_file_of_a_resumed_upload(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    titan_tus.patch(location, 0, DATA[:10])
    response = titan_tus.patch(location, 10, b"Y" * (len(DATA) - 10))
    assert response.status_code == 460
    assert Upload.objects.get().offset == 0


def test_it_rejects_a_malformed_announced_sha256(titan_tus, session):
    response = titan_tus.create(session.pk, "a.bin", DATA, announce_sha=False, sha256="abc")
    assert response.status_code == 400
    assert response.json()["detail"] == "sha256: Send the whole file's sha256 as 64 hex digits."
    assert Upload.objects.count() == 0


def test_it_checks_the_whole_file_when_one_sha256_chunk_carries_it_all(titan_tus, session):
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    response = titan_tus.patch(location, 0, DATA, checksum=chunk_checksum(DATA))
    assert response.status_code == 204
    assert DataFile.objects.get().sha256 == sha256(DATA)


def test_it_refuses_a_whole_file_that_matches_its_chunk_checksum_but_not_the_announced_sha256(titan_tus, session):
    other = DATA[::-1]
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    response = titan_tus.patch(location, 0, other, checksum=chunk_checksum(other))
    assert response.status_code == 460
    assert "not the announced" in response.json()["detail"]
    assert Upload.objects.get().offset == 0
    assert DataFile.objects.count() == 0


def test_it_refuses_a_whole_file_request_whose_bytes_differ_from_its_sha256_and_keeps_none(titan_tus, session):
    # The logger sends a new file this way: one request, the announced sha256 as its checksum.
    location = titan_tus.create(session.pk, "a.bin", DATA)["Location"]
    corrupted = DATA[:5000] + b"X" + DATA[5001:]
    response = titan_tus.patch(location, 0, corrupted, checksum=chunk_checksum(DATA))
    assert response.status_code == 460
    upload = Upload.objects.get()
    assert (upload.offset, upload.completed) == (0, None)
    assert upload.part_path.read_bytes() == b""
    assert DataFile.objects.count() == 0
    assert titan_tus.patch(location, 0, DATA, checksum=chunk_checksum(DATA)).status_code == 204
    assert DataFile.objects.get().sha256 == sha256(DATA)
