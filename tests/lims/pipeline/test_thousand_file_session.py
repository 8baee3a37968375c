"""A generated session of 1,000 files builds into one valid record."""
from datetime import timedelta

from lims.records import pipeline
from lims.records.models import Record
from lims.sessions.models import DataFile, Session
from records.validate import validate
from tests.data.make_session_files import T0, tiff_bytes

FILES = 1000


def test_a_thousand_file_session_builds(cast, make_session):
    files = {f"run/frame{i:04d}.tif": tiff_bytes(i, 16) for i in range(FILES)}
    # Steady 20 s cadence with one 15-minute break after frame 599.
    times = [T0 + timedelta(seconds=20 * i + (900 if i >= 600 else 0)) for i in range(FILES)]
    session = make_session(cast.titan, files, times=times)
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    assert record.file_count == FILES and record.error_count == 0
    assert [a["file_count"] for a in record.data["activities"]] == [600, 400]
    assert DataFile.objects.filter(session=session, extracted=True, preview__gt="").count() == FILES
    assert validate(record.xml.encode()) == []
