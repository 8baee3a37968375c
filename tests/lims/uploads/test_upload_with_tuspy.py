"""An independent tus client (tuspy) uploads through a live server, in chunks with checksums."""
import hashlib

import pytest
from tusclient import client as tus_client

from lims.sessions.models import DataFile
from lims.uploads.models import Upload

SIZE = 3 * 1024 * 1024 + 123
CHUNK = 1024 * 1024


@pytest.mark.live
def test_tuspy_uploads_a_file_that_arrives_with_the_right_sha256(transactional_db, live_server, cast, tmp_path):
    from lims.sessions.models import Session

    session = Session.objects.create(instrument=cast.titan, user="alice")
    source = tmp_path / "frame.raw"
    source.write_bytes(bytes(range(251)) * (SIZE // 251) + b"\x07" * (SIZE % 251))
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    client = tus_client.TusClient(f"{live_server.url}/api/v1/uploads/",
                                  headers={"Authorization": f"Token {cast.titan.api_token}"})
    uploader = client.uploader(
        file_path=str(source), chunk_size=CHUNK, upload_checksum=True,
        metadata={"session": str(session.pk), "filename": "run1/frame.raw", "sha256": expected, "mtime": "1763800000"},
    )
    uploader.upload()

    datafile = DataFile.objects.get(session=session)
    assert (datafile.relative_path, datafile.size, datafile.sha256) == ("run1/frame.raw", SIZE, expected)
    assert hashlib.sha256(datafile.absolute_path.read_bytes()).hexdigest() == expected
    assert Upload.objects.get().offset == SIZE
    assert uploader.url.endswith(f"/api/v1/uploads/{Upload.objects.get().pk}")
