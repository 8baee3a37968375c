"""A chunk cut off mid-way: without a checksum the bytes that arrived count; with one, none do."""
import io

import pytest

from lims.uploads import services
from lims.uploads.models import Upload
from lims.uploads.storage import parse_checksum

from .conftest import chunk_checksum


class _CutStream:
    """A request body that delivers `data` and then fails, as a dropped connection does."""

    def __init__(self, data: bytes):
        self.body = io.BytesIO(data)

    def read(self, size=-1) -> bytes:
        piece = self.body.read(size)
        if not piece:
            raise OSError("connection reset by peer")
        return piece


def _upload(titan_tus, session, length=10_000) -> Upload:
    titan_tus.create(session.pk, "a.bin", b"x" * length)
    return Upload.objects.get()


def test_it_keeps_the_bytes_that_arrived_before_the_cut(titan_tus, session):
    upload = _upload(titan_tus, session)
    with pytest.raises(OSError):
        services.receive_chunk(upload, 0, _CutStream(b"x" * 4000), None)
    upload.refresh_from_db()
    assert upload.offset == 4000
    assert upload.part_path.read_bytes() == b"x" * 4000
    # The client resumes from there and the file completes.
    services.receive_chunk(upload, 4000, io.BytesIO(b"x" * 6000), None)
    upload.refresh_from_db()
    assert upload.is_complete and upload.datafile.size == 10_000


def test_it_drops_a_cut_chunk_that_had_a_checksum(titan_tus, session):
    upload = _upload(titan_tus, session)
    checksum = parse_checksum(chunk_checksum(b"x" * 10_000))
    with pytest.raises(OSError):
        services.receive_chunk(upload, 0, _CutStream(b"x" * 4000), checksum)
    upload.refresh_from_db()
    assert upload.offset == 0
    assert upload.part_path.read_bytes() == b""
