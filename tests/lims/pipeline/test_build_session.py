"""Building a session's record in process: states, record content, reuse, rebuilds."""
from datetime import timedelta

from lxml import etree

from lims.records import pipeline
from lims.sessions import builds
from lims.records.models import ExtractionResult, Record
from lims.sessions.models import DataFile, Session

from tests.data.make_session_files import T0, png_bytes, tiff_bytes


def test_it_builds_one_valid_record_with_every_file(cast, make_session):
    from records.validate import validate

    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "b.png": png_bytes(2), "c.txt": b"hello\n"})
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    assert record.file_count == 3
    assert validate(record.xml.encode()) == []
    root = etree.fromstring(record.xml.encode())
    names = sorted(root.xpath("//*[local-name()='dataset']/*[local-name()='name']/text()"))
    assert names == ["a.tif", "b.png", "c.txt"]
    assert DataFile.objects.filter(session=session, extracted=True).count() == 3
    activities = set(DataFile.objects.filter(session=session).values_list("activity", flat=True))
    assert None not in activities
    assert len(activities) == record.activity_count == len(record.data["activities"])


def test_it_flags_a_truncated_file_and_keeps_the_rest(cast, make_session):
    good = tiff_bytes(3)
    session = make_session(cast.titan, {"good.tif": good, "broken.tif": good[:200], "empty.dm3": b""})
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    assert record.file_count == 3
    assert record.error_count == 2
    broken = DataFile.objects.get(session=session, relative_path="broken.tif")
    assert broken.error
    assert "broken.tif" in record.xml
    good_row = DataFile.objects.get(session=session, relative_path="good.tif")
    assert good_row.error == "" and good_row.preview


def test_a_session_without_files_ends_as_no_files(cast, make_session):
    session = make_session(cast.titan, {})
    assert pipeline.build_now(str(session.pk)) == Session.State.NO_FILES
    assert not Record.objects.filter(session=session).exists()


def test_a_long_pause_splits_the_session_into_two_activities(cast, make_session):
    times = [T0 + timedelta(seconds=30 * i) for i in range(10)]
    times += [times[-1] + timedelta(minutes=10) + timedelta(seconds=30 * i) for i in range(10)]
    files = {f"img{i:02d}.tif": tiff_bytes(i, 16) for i in range(20)}
    session = make_session(cast.titan, files, times=times)
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    assert record.activity_count == 2
    assert [a["file_count"] for a in record.data["activities"]] == [10, 10]
    assert set(DataFile.objects.filter(session=session, relative_path__lt="img10").values_list("activity", flat=True)) == {1}


def test_rebuilding_replaces_the_record_and_reuses_extraction(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(5), "copy.tif": tiff_bytes(5)})
    pipeline.build_now(str(session.pk))
    first = Record.objects.get(session=session)
    # Two files with the same content are read once.
    assert ExtractionResult.objects.count() == 1
    session.refresh_from_db()
    assert builds.queue_build(session, rebuild=True, reextract=True)
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    assert Record.objects.filter(session=session).count() == 1
    assert Record.objects.get(session=session).pk == first.pk
    assert ExtractionResult.objects.count() == 1


def test_a_session_is_built_only_once_when_asked_twice(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(6)})
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    # A second build request of a completed session changes nothing.
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    assert Record.objects.filter(session=session).count() == 1
    assert Session.objects.get(pk=session.pk).build_attempts == 1


def test_an_active_session_is_not_built(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(7)})
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE)
    assert pipeline.build_now(str(session.pk)) == Session.State.ACTIVE
    assert not Record.objects.filter(session=session).exists()


def test_a_missing_stored_file_becomes_an_error_not_a_failure(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(8), "gone.tif": tiff_bytes(9)})
    (session.storage_dir / "gone.tif").unlink()
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    assert "missing" in DataFile.objects.get(session=session, relative_path="gone.tif").error


def test_acquisition_times_are_read_in_the_instruments_time_zone(cast, make_session):
    from lims.records.pipeline import _parse_time, _zone

    berlin = _zone("Europe/Berlin")
    assert _parse_time("2024-07-01T12:00:00", berlin).isoformat() == "2024-07-01T12:00:00+02:00"
    assert _parse_time("2024-07-01T12:00:00+00:00", berlin).isoformat() == "2024-07-01T12:00:00+00:00"
    assert _parse_time("not a time", berlin) is None


def test_a_files_acquisition_time_orders_it_in_the_instruments_zone(cast, make_session):
    from tests.conftest import corpus_file

    content = corpus_file("rsciio/FEI-Helios-Ebeam-8bits.tif").read_bytes()
    cast.titan.timezone = "America/Denver"
    cast.titan.save()
    session = make_session(cast.titan, {"helios.tif": content})
    assert pipeline.build_now(str(session.pk)) == Session.State.COMPLETED
    acquired = DataFile.objects.get(session=session).acquired
    assert acquired.isoformat() == "2016-06-13T23:06:40+00:00"  # 17:06:40 MDT, written by the microscope
