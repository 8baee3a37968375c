"""What extraction found is stored on every backend, and a cached result holds only what the bytes say."""
from datetime import datetime, timezone

import pytest
from django.db import OperationalError

from lims.records import pipeline
from lims.records.models import ExtractionResult, Record
from lims.sessions.models import DataFile, Session
from tests.conftest import corpus_file

from tests.data.make_session_files import tiff_bytes

EARLY = datetime(2025, 3, 4, 9, 0, tzinfo=timezone.utc)
LATE = datetime(2025, 3, 4, 17, 30, tzinfo=timezone.utc)


@pytest.mark.corpus
def test_an_edax_spectrum_with_nul_characters_in_its_metadata_is_stored(cast, make_session):
    spc = corpus_file("nexuslims/647_leo_edax_test.spc").read_bytes()  # its metadata holds NUL characters
    session = make_session(cast.titan, {"spectrum.spc": spc})

    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED

    datafile = DataFile.objects.get(session=session)
    assert datafile.error == ""
    assert datafile.format != "" and datafile.metadata["acceleration_voltage"]["value"] == 10.0
    assert "\x00" not in str(ExtractionResult.objects.get().original_metadata)


def test_text_no_database_can_hold_is_cleaned():
    cleaned = pipeline._storable({"na\x00me": ["a\x00b", "\ud800x", float("nan"), float("inf"), 1.5, b"raw"]})
    assert cleaned == {"name": ["ab", "\ufffdx", None, None, 1.5, "b'raw'"]}


def test_two_files_with_the_same_bytes_keep_their_own_size_and_modification_time(cast, make_session):
    same = tiff_bytes(4)
    session = make_session(cast.titan, {"early.tif": same, "late.tif": same}, times=[EARLY, LATE])

    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED

    assert ExtractionResult.objects.count() == 1  # read once ...
    cached = ExtractionResult.objects.get().metadata
    assert "modified_time" not in cached and "size" not in cached  # ... holding only what the bytes say
    times = dict(DataFile.objects.filter(session=session).values_list("relative_path", "metadata__modified_time"))
    assert times == {"early.tif": "2025-03-04T09:00:00+00:00", "late.tif": "2025-03-04T17:30:00+00:00"}


def test_a_database_that_is_away_is_never_a_files_error(cast, make_session, monkeypatch):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(5)})
    Session.objects.filter(pk=session.pk).update(state=Session.State.BUILDING)
    datafile = DataFile.objects.get(session=session)

    def away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "_cached_results", away)
    with pytest.raises(OperationalError):
        pipeline.extract_one(datafile)  # raised for the task to be retried ...
    datafile.refresh_from_db()
    assert (datafile.extracted, datafile.error) == (False, "")  # ... and nothing recorded against the file
    assert not Record.objects.exists()
