"""`restore` into an installation whose files live in an object store (a real moto server): a backup made
with files under DATA_ROOT or in a store comes back as objects under the new store's prefix, every hash
checked; a prefix already holding objects is refused before anything changes."""
import hashlib
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

from lims.records import pipeline
from lims.sessions import objects
from lims.sessions.models import DataFile
from tests.data.make_session_files import tiff_bytes
from tests.lims.operations.installation import manage, stored_files
from tests.objectstore import CREDENTIALS, PREFIX

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_store(store):
    """A second, empty bucket for the installation being restored, and the environment that points at it."""
    bucket = f"lims-{uuid.uuid4().hex[:12]}"
    store.s3.create_bucket(Bucket=bucket)

    class NewStore:
        name = bucket
        env = {"STORAGE_URL": f"s3://{bucket}/{PREFIX}", "AWS_S3_ENDPOINT_URL": store.url, **CREDENTIALS}

        def contents(self) -> dict[str, str]:
            """{key under the prefix: sha256} of every object."""
            found = {}
            for entry in store.s3.list_objects_v2(Bucket=bucket).get("Contents", []):
                body = store.s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
                found[entry["Key"].removeprefix(f"{PREFIX}/")] = hashlib.sha256(body).hexdigest()
            return found

    return NewStore()


def test_a_backup_of_local_files_comes_back_as_objects(installation, store, new_store, restore_env, tmp_path,
                                                       settings):
    settings.STORAGE_URL = ""  # the installation backed up keeps its files under DATA_ROOT
    env, restored_root = restore_env
    call_command("backup", tmp_path / "backups")

    done = manage("restore", tmp_path / "backups", env={**env, **new_store.env})

    assert done.returncode == 0, done.stderr
    assert "0 missing, 0 changed, 0 unreferenced" in done.stdout
    assert new_store.contents() == stored_files(settings.DATA_ROOT)  # every data file and preview, same bytes
    assert [path for path in restored_root.rglob("*") if path.is_file() and "cache" not in path.parts] == []


def test_a_backup_of_objects_comes_back_as_objects_in_another_store(store, new_store, cast, make_session,
                                                                    restore_env, tmp_path):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "notes/c.txt": b"hello\n"}, account=cast.alice)
    for datafile in session.files.all():
        objects.put(objects.local_path(datafile.storage_key), datafile.storage_key)
    pipeline.build_now(str(session.pk))
    original = {key.removeprefix(f"{PREFIX}/"): hashlib.sha256(store.read(key.removeprefix(f"{PREFIX}/"))).hexdigest()
                for key in store.keys()}
    env, _restored_root = restore_env
    call_command("backup", tmp_path / "backups")

    done = manage("restore", tmp_path / "backups", env={**env, **new_store.env})

    assert done.returncode == 0, done.stderr
    assert "verified 3 files: 0 missing, 0 changed, 0 unreferenced" in done.stdout
    assert new_store.contents() == original
    assert {row.storage_key for row in DataFile.objects.filter(session=session)} <= set(original)


def test_a_prefix_already_holding_objects_is_refused(installation, store, new_store, restore_env, tmp_path,
                                                     settings):
    settings.STORAGE_URL = ""
    env, _restored_root = restore_env
    call_command("backup", tmp_path / "backups")
    store.s3.put_object(Bucket=new_store.name, Key=f"{PREFIX}/titan/2026/left-over.tif", Body=b"x")

    done = manage("restore", tmp_path / "backups", env={**env, **new_store.env})

    assert done.returncode != 0
    assert "already holds objects under its prefix" in done.stderr
    assert list(new_store.contents()) == ["titan/2026/left-over.tif"]
