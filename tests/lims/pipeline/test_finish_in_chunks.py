"""The finish step on thousands of files: grouped on compact arrays, written as a stream, stored, searchable.

The files are DataFile rows made already extracted (as the last extraction batch leaves them), so the
test measures the finish step only; `benchmarks.pipeline.finish` does the same at 100,000 files.
"""
from datetime import timedelta

import pytest

from lims.records import grouping, pipeline
from lims.records.models import XML_FOLDER, Record
from lims.search.document import document_for
from lims.sessions import objects
from lims.sessions.models import DataFile, Session
from records.activities import group
from records.validate import validate_file
from tests.data.make_session_files import T0

pytestmark = pytest.mark.django_db

FILES = 3000
PAUSE_AFTER = 1800  # a 15-minute pause there splits the images in two activities


def _metadata(i: int) -> dict:
    return {"acceleration_voltage": {"value": 300, "unit": "kV"} if i % 2 else {"value": 300000, "unit": "V"},
            "magnification": {"value": 20000 + 1000 * (i % 5), "unit": ""}, "detector": "HAADF",
            "stage_x": {"value": i / 1000, "unit": "mm"}}


def _building_session(instrument, files: int = FILES) -> Session:
    """A BUILDING session of `files` extracted images, 20 s apart, then two spectra, a note and an untimed file."""
    session = Session.objects.create(instrument=instrument, user="alice", start=T0, state=Session.State.BUILDING)
    rows = []
    for i in range(files):
        when = T0 + timedelta(seconds=20 * i + (900 if i >= PAUSE_AFTER else 0))
        rows.append(DataFile(session=session, relative_path=f"grid/frame{i:05d}.tif", size=1000 + i, sha256=f"{i:064x}",
                             mtime=when, acquired=when, format="TIFF", extractor="tiff", signal_type="image",
                             metadata=_metadata(i), preview="previews/00/x.png", extracted=True))
    after = T0 + timedelta(seconds=20 * files + 2000)
    rows += [DataFile(session=session, relative_path=f"eels{i}.msa", size=10, sha256=f"{i:063x}a", mtime=after,
                      acquired=after + timedelta(seconds=i), format="EMSA/MSA", extractor="msa", signal_type="spectrum",
                      metadata={"dispersion": {"value": 0.1, "unit": "eV"}}, extracted=True) for i in range(2)]
    rows.append(DataFile(session=session, relative_path="notes.txt", size=5, sha256="b" * 64, mtime=after,
                         acquired=after, format="text", signal_type="text", extracted=True))
    rows.append(DataFile(session=session, relative_path="lost.bin", size=5, sha256="c" * 64, extractor="none",
                         error="unreadable", extracted=True))
    DataFile.objects.bulk_create(rows, batch_size=1000)
    return session


def test_thousands_of_files_give_a_valid_record_stored_by_its_content(cast):
    session = _building_session(cast.titan)
    assert pipeline.finish(str(session.pk)) == Session.State.COMPLETED
    record = Record.objects.get(session=session)
    assert record.xml_key.startswith(f"{XML_FOLDER}/{session.pk}/") and record.xml_text == ""
    assert validate_file(objects.local_path(record.xml_key)) == []
    xml = record.xml
    assert xml.count("<dataset>") == FILES + 4
    assert [(a["mode"], a["file_count"]) for a in record.activities()] == [
        ("imaging", PAUSE_AFTER), ("imaging", FILES - PAUSE_AFTER), ("spectroscopy", 3), ("other", 1)]
    assert record.file_count == FILES + 4 and record.error_count == 1
    # 300 kV and 300000 V agree, so the voltage is stated once per activity, not per file
    assert xml.count('name="acceleration_voltage"') == 2
    assert DataFile.objects.filter(session=session, activity=2).count() == FILES - PAUSE_AFTER


def test_the_compact_grouping_finds_the_activities_of_the_dataset_grouping(cast):
    session = _building_session(cast.titan, files=300)
    record = Record.objects.create(session=session, title="", schema_version="", built=T0)
    compact = grouping.activities(session, record, grouping.session_files(session))
    files = list(session.files.order_by(*grouping.ORDER))
    by_object = group([grouping.dataset(record, f) for f in files])
    assert [(a.index, a.start, a.end, a.mode, a.setup, [d.name for d in a.datasets]) for a in compact] == \
        [(a.index, a.start, a.end, a.mode, a.setup, [d.name for d in a.datasets]) for a in by_object]


def test_a_rebuild_replaces_the_stored_xml_and_removes_the_old_one(cast, django_capture_on_commit_callbacks):
    session = _building_session(cast.titan, files=50)
    pipeline.finish(str(session.pk))
    first = Record.objects.get(session=session).xml_key
    Session.objects.filter(pk=session.pk).update(notes="re-aligned", state=Session.State.BUILDING)
    DataFile.objects.filter(session=session, relative_path="grid/frame00000.tif").update(size=1)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.finish(str(session.pk))
    second = Record.objects.get(session=session).xml_key
    assert second != first
    assert objects.exists(second) and not objects.exists(first)


def test_every_file_name_is_in_the_search_text(cast):
    session = _building_session(cast.titan)
    pipeline.finish(str(session.pk))
    text = document_for(Record.objects.get(session=session)).text
    assert all(f" grid frame{i:05d} tif " in text for i in range(0, FILES, 7))
    assert " lost bin " in text
