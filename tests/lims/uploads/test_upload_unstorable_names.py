"""Names the file system cannot hold as they are are stored under a safe name, never lost or refused.

HEAD and PATCH report an upload complete only once its DataFile exists and its bytes are in place.
"""
from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import sha256

JAPANESE = "電子顕微鏡による試料観察の記録" * 7  # 105 characters: a valid Windows name, 315 bytes in UTF-8


def _head_offset(titan_tus, upload: Upload) -> int:
    return int(titan_tus.head(f"/api/v1/uploads/{upload.pk}")["Upload-Offset"])


def _stored(session, relative_path, data):
    datafile = DataFile.objects.get(session=session, relative_path=relative_path)
    assert datafile.absolute_path.read_bytes() == data
    assert datafile.sha256 == sha256(data)
    return datafile


def test_a_name_part_longer_than_the_file_system_allows_is_stored_under_a_safe_name(titan_tus, session):
    name = f"run1/{JAPANESE}.dm3"
    response = titan_tus.send(session.pk, name, b"micrograph")

    assert response.status_code == 204
    datafile = _stored(session, name, b"micrograph")
    assert datafile.stored_as.startswith(".renamed/") and datafile.stored_as.endswith(".dm3")
    assert _head_offset(titan_tus, Upload.objects.get()) == len(b"micrograph")


def test_a_file_named_like_a_folder_that_holds_files_is_kept(titan_tus, session):
    assert titan_tus.send(session.pk, "a/b/c.txt", b"inside").status_code == 204
    assert titan_tus.send(session.pk, "a/b", b"a file called b").status_code == 204

    _stored(session, "a/b/c.txt", b"inside")
    assert _stored(session, "a/b", b"a file called b").stored_as.startswith(".renamed/")


def test_a_file_inside_a_folder_named_like_an_existing_file_is_kept(titan_tus, session):
    assert titan_tus.send(session.pk, "a/b", b"a file called b").status_code == 204
    assert titan_tus.send(session.pk, "a/b/c.txt", b"inside").status_code == 204

    assert _stored(session, "a/b", b"a file called b").stored_as == ""
    assert _stored(session, "a/b/c.txt", b"inside").stored_as.startswith(".renamed/")


def test_every_complete_upload_has_its_datafile(titan_tus, session):
    for name in (f"{JAPANESE}.tif", "x/y", "x/y/z.txt", "plain.txt"):
        titan_tus.send(session.pk, name, name.encode())
    for upload in Upload.objects.all():
        assert upload.is_complete and upload.datafile_id is not None
        assert _head_offset(titan_tus, upload) == upload.length
