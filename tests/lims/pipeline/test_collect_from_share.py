"""Files left on the instrument's share during a session are collected at build time, once settled."""
import os
import time
from datetime import timedelta

from lims.sessions import collect as share
from lims.records.models import Record
from lims.records import pipeline
from lims.sessions.models import DataFile, Session

from tests.data.make_session_files import T0, tiff_bytes


def _put(folder, name, content, when):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_it_takes_settled_files_inside_the_session_window_only(cast, make_session, tmp_path, settings):
    settings.SHARE_SETTLE_SECONDS = 60
    share_dir = tmp_path / "share"
    cast.titan.share_path = str(share_dir)
    cast.titan.save()
    session = make_session(cast.titan, {"uploaded.tif": tiff_bytes(1)})
    Session.objects.filter(pk=session.pk).update(end=T0 + timedelta(hours=1))
    session.refresh_from_db()
    _put(share_dir, "uploaded.tif", tiff_bytes(1), T0)  # same bytes as the upload: skipped
    _put(share_dir, "run/missed.tif", tiff_bytes(2), T0 + timedelta(minutes=20))
    _put(share_dir, "yesterday.tif", tiff_bytes(3), T0 - timedelta(days=1))
    _put(share_dir, "uploaded.tif.bak", tiff_bytes(4), T0 + timedelta(minutes=30))
    # Pretend "now" is a few seconds after the last write: that file has not settled yet.
    now = (T0 + timedelta(minutes=30, seconds=5)).timestamp()
    assert share.collect(session, now=now) == 1
    assert sorted(DataFile.objects.filter(session=session).values_list("relative_path", flat=True)) == [
        "run/missed.tif", "uploaded.tif"]
    assert (session.storage_dir / "run" / "missed.tif").read_bytes() == tiff_bytes(2)
    # Later, every file has settled; running again adds the remaining one and nothing twice.
    assert share.collect(session, now=time.time()) == 1
    assert share.collect(session, now=time.time()) == 0


def test_a_build_with_collection_on_includes_share_files(cast, make_session, tmp_path, settings):
    settings.COLLECT_FROM_SHARE = True
    share_dir = tmp_path / "share"
    cast.titan.share_path = str(share_dir)
    cast.titan.save()
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    _put(share_dir, "b.tif", tiff_bytes(2), T0 + timedelta(seconds=10))
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    assert Record.objects.get(session=session).file_count == 2
