"""With STORAGE_URL, data files and previews live in an S3-compatible store (a real moto server here):
uploads end as objects, downloads and the ZIP stream them, a worker that shares no folder with the
web process builds the record, and the fixity audit reads the objects back."""
import hashlib
import io
import os
import uuid
import zipfile

import pytest
from django.db import connection
from django.test import Client

from lims.operations import backup, fixity, restore
from lims.records import pipeline
from lims.records.models import Record
from lims.sessions import objects
from lims.sessions.models import DataFile, Session
from tests.data.make_session_files import tiff_bytes
from tests.lims.uploads.conftest import Tus
from tests.live import run_celery_worker, server_env, wait_for
from tests.objectstore import PREFIX

BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
DATA = b"electron micrograph bytes " * 40000  # about 1 MB, several tus chunks' worth


def _upload(api, cast, name: str, data: bytes, chunk: int = 256 * 1024, session: Session | None = None) -> Session:
    """An ACTIVE Titan session (new, or `session`) with `data` sent as `name` through tus, a chunk per PATCH."""
    session = session or Session.objects.create(id=uuid.uuid4(), instrument=cast.titan, user="alice",
                                                account=cast.alice)
    tus = Tus(api(cast.titan.api_token))
    created = tus.create(session.pk, name, data)
    assert created.status_code == 201, created.content
    for offset in range(0, len(data), chunk):
        response = tus.patch(created["Location"], offset, data[offset:offset + chunk])
        assert response.status_code == 204, response.content
    assert response["Upload-Offset"] == str(len(data))
    return session


def _ended(session: Session) -> Session:
    Session.objects.filter(pk=session.pk).update(state=Session.State.ENDED, end=session.start)
    session.refresh_from_db()
    return session


def test_an_upload_through_tus_ends_as_an_object_with_its_sha256(store, api, cast, settings):
    session = _upload(api, cast, "run1/image.dm3", DATA)

    datafile = DataFile.objects.get(session=session)
    key = f"titan/{session.start:%Y}/{session.pk}/run1/image.dm3"
    assert datafile.storage_key == key
    assert store.keys() == [f"{PREFIX}/{key}"]
    assert hashlib.sha256(store.read(key)).hexdigest() == datafile.sha256 == hashlib.sha256(DATA).hexdigest()
    # Nothing stays on the local disk: not in a session folder, not in staging.
    assert not (settings.DATA_ROOT / "titan").exists()
    assert os.listdir(settings.DATA_ROOT / ".uploads") == []


def test_a_file_and_the_record_zip_stream_from_the_store(store, api, cast, settings):
    image = tiff_bytes(3, 64)
    session = _ended(_upload(api, cast, "a.tif", image))
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    datafile = DataFile.objects.get(session=session)
    browser = Client()
    browser.force_login(cast.alice)

    single = browser.get(f"/records/{record.pk}/files/{datafile.pk}/")
    zipped = browser.get(f"/records/{record.pk}/download.zip")
    preview = browser.get(f"/records/{record.pk}/files/{datafile.pk}/preview.png")

    assert single.status_code == 200 and single["Content-Length"] == str(len(image))
    assert b"".join(single.streaming_content) == image
    assert zipped.status_code == 200
    body = b"".join(zipped.streaming_content)
    assert len(body) == int(zipped["Content-Length"])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.read("files/a.tif") == image
    assert preview.status_code == 200
    png = b"".join(preview.streaming_content)
    assert png.startswith(b"\x89PNG") and png == store.read(datafile.preview)
    assert not (settings.DATA_ROOT / "previews").exists()  # the preview went to the store
    assert list((settings.DATA_ROOT / ".staging").rglob("*.png")) == []


def test_a_missing_object_is_a_404_not_a_500(store, api, cast):
    session = _ended(_upload(api, cast, "a.tif", tiff_bytes(4, 64)))
    pipeline.build_now(str(session.pk))
    record = Record.objects.get(session=session)
    datafile = DataFile.objects.get(session=session)
    objects.remove(datafile.storage_key)
    browser = Client()
    browser.force_login(cast.alice)

    assert browser.get(f"/records/{record.pk}/files/{datafile.pk}/").status_code == 404


def test_the_fixity_audit_reads_the_objects_back_and_finds_a_changed_one(store, api, cast):
    session = _upload(api, cast, "a.txt", b"first file\n")
    _upload(api, cast, "b.txt", b"second file\n", session=session)
    kept, changed = DataFile.objects.filter(session=session).order_by("relative_path")
    store.write(changed.storage_key, b"second file, altered\n")

    run = fixity.audit()

    assert (run.checked, run.missing) == (2, 0)
    assert run.changed == 1
    assert run.problems == [{"kind": fixity.CHANGED, "path": changed.storage_key}]
    assert kept.storage_key not in str(run.problems)


@pytest.mark.django_db(transaction=True)
def test_a_backup_copies_the_objects(store, api, cast, tmp_path):
    image = tiff_bytes(5, 64)
    session = _ended(_upload(api, cast, "a.tif", image))
    pipeline.build_now(str(session.pk))
    datafile = DataFile.objects.get(session=session)

    result = backup.backup(tmp_path / "backups")

    assert result.ok and (result.files, result.copied) == (3, 3)  # the file, its preview and the record's XML
    lines = {line["kind"]: line for line in backup.files_of(result.folder)}
    record = Record.objects.get(session=session)
    assert lines["record"]["path"] == record.xml_key
    assert backup.object_path(tmp_path / "backups", lines["record"]["sha256"]).read_bytes() == store.read(record.xml_key)
    assert lines["data"]["path"] == datafile.storage_key and lines["data"]["sha256"] == datafile.sha256
    assert backup.object_path(tmp_path / "backups", datafile.sha256).read_bytes() == image
    assert backup.object_path(tmp_path / "backups", lines["preview"]["sha256"]).read_bytes() == \
        store.read(datafile.preview)
    with pytest.raises(restore.RestoreRefused, match="already holds people"):  # restore wants an empty installation
        restore.restore(tmp_path / "backups")


def test_the_local_cache_of_read_files_keeps_within_its_cap(store, settings, tmp_path):
    settings.STORAGE_CACHE_MB = 1
    for name in ("a.bin", "b.bin", "c.bin"):
        source = tmp_path / name
        source.write_bytes(os.urandom(600 * 1024))
        objects.put(source, f"titan/2026/x/{name}", keep_source=True)
    for index, name in enumerate(("a.bin", "b.bin")):
        path = objects.readable_path(f"titan/2026/x/{name}")
        os.utime(path, (1000 + index, 1000 + index))  # used long ago, a before b

    third = objects.readable_path("titan/2026/x/c.bin")  # over the cap: the least recently used go

    folder = settings.DATA_ROOT / objects.CACHE_FOLDER / "titan/2026/x"
    assert sorted(p.name for p in folder.iterdir()) == ["c.bin"]
    assert third.read_bytes() == (tmp_path / "c.bin").read_bytes()
    again = objects.readable_path("titan/2026/x/a.bin")  # fetched again from the store when wanted
    assert again.read_bytes() == (tmp_path / "a.bin").read_bytes()


@pytest.mark.live
def test_a_worker_sharing_no_folder_with_the_web_process_builds_the_record(store, transactional_db, api, cast,
                                                                           settings, tmp_path):
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()
    session = _ended(_upload(api, cast, "frame.tif", tiff_bytes(7, 128)))
    worker_root = tmp_path / "worker-data"
    worker_root.mkdir()
    env = server_env(connection.settings_dict, broker_url=BROKER_URL, data_root=worker_root, **store.env())

    with run_celery_worker(env, log_dir=tmp_path) as worker:
        from celery import Celery

        Celery(broker=BROKER_URL, set_as_current=False).send_task("lims.records.tasks.build_session", (str(session.pk),))
        wait_for(lambda: Session.objects.get(pk=session.pk).state in Session.FINAL_STATES, 180,
                 what=f"the build to finish; worker log:\n{worker.tail()}")

    session.refresh_from_db()
    assert session.state == Session.State.COMPLETED, session.error
    datafile = DataFile.objects.get(session=session)
    assert datafile.error == "" and datafile.preview
    assert store.read(datafile.preview).startswith(b"\x89PNG")
    assert Record.objects.get(session=session).file_count == 1
    # The worker read the file from the store through its cache; the web process's folder was never used.
    assert sorted(p.name for p in worker_root.iterdir()) == [".staging", "cache"]
    assert [p.name for p in worker_root.rglob("*") if p.is_file()] == ["frame.tif"]  # its cached copy
    assert not (settings.DATA_ROOT / "titan").exists() and not (settings.DATA_ROOT / "previews").exists()
