"""Installations for the operations tests: real records built by the pipeline, and a second, empty database."""
import pytest
from django.db import connection

from lims.records import pipeline
from tests.data.make_session_files import png_bytes, tiff_bytes
from tests.live import server_env


@pytest.fixture
def installation(cast, make_session):
    """Two sessions on two instruments built into records: images, a text file in a folder, a broken file."""
    first = make_session(cast.titan, {"a.tif": tiff_bytes(1), "b.png": png_bytes(2), "notes/c.txt": b"hello\n"},
                         account=cast.alice)
    second = make_session(cast.quanta, {"d.tif": tiff_bytes(3), "broken.tif": tiff_bytes(4)[:200]}, user="bob")
    for session in (first, second):
        pipeline.build_now(str(session.pk))
    return [first, second]


@pytest.fixture
def fresh_database(transactional_db):
    """Settings of a second, empty PostgreSQL database (made and dropped here)."""
    import psycopg

    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restored"
    maintenance = dict(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                       user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None, dbname="postgres",
                       autocommit=True)
    with psycopg.connect(**maintenance) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**settings_dict, "NAME": name}
    with psycopg.connect(**maintenance) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def restore_env(fresh_database, tmp_path):
    """Environment of a process that restores into the fresh database and an empty DATA_ROOT."""
    data_root = tmp_path / "restored-data"
    env = server_env(fresh_database, data_root=data_root)
    return env, data_root

