"""`manage.py verify` with object storage (a real moto server): objects under the store's prefix that no data
file or preview refers to are reported as unreferenced, as files under DATA_ROOT are without it."""
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lims.operations import fixity
from lims.operations.models import FixityAudit
from lims.records import pipeline
from lims.sessions import objects
from lims.sessions.models import DataFile
from tests.data.make_session_files import tiff_bytes
from tests.objectstore import PREFIX

LATER = timedelta(hours=2)  # an audit this much later: every object written by the test is past the age limit


@pytest.fixture
def stored(store, cast, make_session):
    """A Titan session whose files live in the store, built into a record (its preview in the store too)."""
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "notes/c.txt": b"hello\n"}, account=cast.alice)
    for datafile in session.files.all():
        objects.put(objects.local_path(datafile.storage_key), datafile.storage_key)
    pipeline.build_now(str(session.pk))
    return DataFile.objects.get(session=session, relative_path="a.tif")


def test_a_store_holding_only_what_is_referred_to_passes(stored, store):
    assert len(store.keys()) == 5  # two data files, their previews and the record's XML
    store.write(stored.preview.replace(".png", ".1.png"), b"a further signal's preview")  # kept with its main one

    run = fixity.audit(now=timezone.now() + LATER)

    assert run.ok, run.problems
    assert (run.checked, run.unreferenced) == (3, 0)  # two data files and the record's XML


def test_objects_nothing_refers_to_are_reported(stored, store):
    session_folder = stored.storage_key.rpartition("/")[0]
    strays = [
        f"{session_folder}/stray.bin",  # beside the session's files
        f"previews/ab/{'ab' * 32}.png",  # the preview of no content
        f"titan/2025/{uuid.uuid4()}/x.tif",  # a session that does not exist
        "quanta/2025/not-a-session/y.tif",
        f"records/{stored.session_id}/{'ef' * 32}.xml",  # an XML the session's record does not name
        "loose.txt",  # under the prefix, outside the stored areas
    ]
    for key in strays:
        store.write(key, b"nobody refers to me")
    store.s3.put_object(Bucket=store.name, Key="elsewhere/z.bin", Body=b"outside the prefix")

    run = fixity.audit(now=timezone.now() + LATER)

    assert sorted(problem["path"] for problem in run.problems) == sorted(strays)
    assert {problem["kind"] for problem in run.problems} == {fixity.UNREFERENCED}
    assert (run.unreferenced, run.missing, run.changed, run.checked) == (6, 0, 0, 3)
    assert f"{PREFIX}/elsewhere/z.bin" not in str(run.problems) and "elsewhere/z.bin" not in str(run.problems)


def test_the_command_lists_them_and_fails(stored, store, monkeypatch, capsys):
    stray = f"{stored.storage_key.rpartition('/')[0]}/stray.bin"
    store.write(stray, b"nobody refers to me")
    monkeypatch.setattr(fixity, "UNREFERENCED_GRACE", timedelta(0))

    with pytest.raises(CommandError, match="found problems"):
        call_command("verify")

    out = capsys.readouterr().out
    assert f"unreferenced: {stray}" in out
    assert "checked 3 files" in out and "1 unreferenced" in out
    assert FixityAudit.objects.latest().problems == [{"kind": "unreferenced", "path": stray}]


def test_an_object_written_a_moment_ago_is_not_yet_unreferenced(stored, store):
    store.write(f"{stored.storage_key.rpartition('/')[0]}/arriving.tif", b"its row is not committed yet")

    call_command("verify")

    assert FixityAudit.objects.latest().unreferenced == 0
