"""An upload whose file cannot be recorded stays incomplete: the client resends its last chunk, nothing is lost.

The database refusing the DataFile is made real with a trigger (PostgreSQL), raising the error a
dropped connection gives.
"""
import pytest
from django.db import connection

from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import sha256

DATA = b"0123456789" * 1000


@pytest.fixture
def refusing_database(db):
    if connection.vendor != "postgresql":
        pytest.skip("the refusing trigger is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse_datafile() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'terminating connection' USING ERRCODE = 'admin_shutdown'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_datafile BEFORE INSERT ON lims_sessions_datafile
                FOR EACH ROW EXECUTE FUNCTION refuse_datafile();
        """)

    def heal():
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_datafile ON lims_sessions_datafile; DROP FUNCTION refuse_datafile();")

    return heal


def test_a_file_the_database_could_not_record_is_not_reported_complete(titan_tus, session, refusing_database):
    created = titan_tus.create(session.pk, "a.dm3", DATA)
    location = created["Location"]
    assert titan_tus.patch(location, 0, DATA[:6000]).status_code == 204

    last = titan_tus.patch(location, 6000, DATA[6000:])

    assert last.status_code == 503
    assert last.json()["code"] == "unavailable"
    assert int(titan_tus.head(location)["Upload-Offset"]) == 6000
    assert not DataFile.objects.exists()
    assert not (session.storage_dir / "a.dm3").exists()
    assert Upload.objects.get().part_path.exists()

    refusing_database()
    again = titan_tus.patch(location, 6000, DATA[6000:])

    assert again.status_code == 204
    assert again["Upload-Offset"] == str(len(DATA))
    datafile = DataFile.objects.get()
    assert datafile.sha256 == sha256(DATA)
    assert datafile.absolute_path.read_bytes() == DATA
    assert not Upload.objects.get().part_path.exists()


def test_an_empty_file_the_database_could_not_record_is_created_again_on_retry(titan_tus, session,
                                                                             refusing_database):
    assert titan_tus.create(session.pk, "empty.txt", b"").status_code == 503
    assert not Upload.objects.exists()

    refusing_database()
    assert titan_tus.create(session.pk, "empty.txt", b"").status_code == 201
    assert DataFile.objects.get().size == 0
