"""An instrument token cannot upload into, look at or write to another instrument's uploads."""
from lims.uploads.models import Upload


def test_it_rejects_a_token_of_another_instrument_at_creation(quanta_tus, session):
    response = quanta_tus.create(session.pk, "a.txt", b"abc")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token acts only for its own instrument."
    assert Upload.objects.count() == 0


def test_it_hides_an_upload_from_another_instrument(titan_tus, quanta_tus, session):
    location = titan_tus.create(session.pk, "a.txt", b"abc")["Location"]
    assert quanta_tus.head(location).status_code == 404


def test_it_refuses_a_chunk_from_another_instrument(titan_tus, quanta_tus, session):
    location = titan_tus.create(session.pk, "a.txt", b"abc")["Location"]
    response = quanta_tus.patch(location, 0, b"abc")
    assert response.status_code == 403
    upload = Upload.objects.get()
    assert upload.offset == 0 and upload.part_path.read_bytes() == b""


def test_it_refuses_termination_from_another_instrument(titan_tus, quanta_tus, session):
    location = titan_tus.create(session.pk, "a.txt", b"abc")["Location"]
    response = quanta_tus.client.delete(location, HTTP_TUS_RESUMABLE="1.0.0")
    assert response.status_code == 403
    assert Upload.objects.count() == 1


def test_it_does_not_let_a_scientist_upload(api, cast, session):
    from .conftest import Tus

    response = Tus(api(cast.tokens["alice"])).create(session.pk, "a.txt", b"abc")
    assert response.status_code == 403


def test_it_lets_staff_upload_for_any_instrument(api, cast, session):
    from .conftest import Tus

    assert Tus(api(cast.tokens["staff"])).send(session.pk, "a.txt", b"abc").status_code == 204


def test_it_requires_a_token(api, session):
    from .conftest import Tus

    assert Tus(api()).create(session.pk, "a.txt", b"abc").status_code == 401
    assert Tus(api("not-a-token")).create(session.pk, "a.txt", b"abc").status_code == 401
