"""Hostile tus headers get a quick 400 in the API's error format, never a 500."""
import base64

import pytest

from lims.uploads.models import Upload

from .conftest import TUS, metadata


@pytest.mark.parametrize("length", ["²", "1²", "١٢", "-1", "1e3", " ", "99999999999999999999999"])
def test_it_refuses_an_upload_length_that_is_not_ascii_digits(titan_tus, session, length):
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH=length,
                                     HTTP_UPLOAD_METADATA=metadata(session=session.pk, filename="a.txt"), **TUS)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Upload-Length: ")
    assert not Upload.objects.exists()


@pytest.mark.parametrize("offset", ["²", "٣", "0x0"])
def test_it_refuses_an_upload_offset_that_is_not_ascii_digits(titan_tus, session, offset):
    location = titan_tus.create(session.pk, "a.txt", b"abc")["Location"]
    response = titan_tus.client.patch(location, b"abc", content_type="application/offset+octet-stream",
                                      HTTP_UPLOAD_OFFSET=offset, **TUS)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_it_refuses_a_nul_byte_in_any_metadata_value(titan_tus, session):
    nul = base64.b64encode(b"x\x00y").decode()
    header = f"{metadata(session=session.pk, filename='a.txt')},comment {nul}"
    response = titan_tus.client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="3", HTTP_UPLOAD_METADATA=header, **TUS)
    assert response.status_code == 400
    assert response.json()["detail"] == "comment: The value contains a NUL character, which cannot be stored."
    assert not Upload.objects.exists()
