"""Files get descriptions and are moved between activities; activities are merged and split; all survive a rebuild."""
import pytest

from lims.curation.models import Curation
from lims.records import pipeline
from lims.sessions import builds
from lims.records.models import Record
from records.validate import validate

from .conftest import activities_of

pytestmark = pytest.mark.django_db


def _file(record, name):
    return record.session.files.get(relative_path=name)


def _rebuilt(record) -> Record:
    """Rebuild the session as an administrator would, and read the record back."""
    session = record.session
    assert builds.queue_build(session, rebuild=True, reextract=True)
    assert pipeline.build_now(str(session.pk)) == "COMPLETED"
    return Record.objects.get(pk=record.pk)


def test_the_build_makes_two_activities(built):
    assert activities_of(built) == {1: ["run1/a.tif", "run1/b.tif", "run1/c.tif"], 2: ["run2/d.tif", "run2/e.tif"]}


def test_a_file_description_goes_into_the_xml_and_survives_a_rebuild(built, cast, client):
    client.force_login(cast.alice)
    data_file = _file(built, "run1/b.tif")
    response = client.post(f"/records/{built.pk}/files/{data_file.pk}/describe", {"description": "grain boundary"})
    assert response["Location"] == f"/records/{built.pk}/#file-{data_file.pk}"
    assert b"<description>grain boundary</description>" in Record.objects.get(pk=built.pk).xml.encode()
    record = _rebuilt(built)
    assert b"<description>grain boundary</description>" in record.xml.encode()
    fragment = client.get(f"/records/{built.pk}/files/{data_file.pk}/metadata/").content.decode()
    assert "grain boundary" in fragment


def test_moving_a_file_to_another_activity(built, cast, client):
    client.force_login(cast.alice)
    moved = _file(built, "run1/c.tif")
    client.post(f"/records/{built.pk}/files/{moved.pk}/move", {"activity": 2})
    record = Record.objects.get(pk=built.pk)
    assert activities_of(record) == {1: ["run1/a.tif", "run1/b.tif"], 2: ["run1/c.tif", "run2/d.tif", "run2/e.tif"]}
    assert [a["file_count"] for a in record.activities()] == [2, 3]
    assert validate(record.xml.encode()) == []
    assert activities_of(_rebuilt(record)) == activities_of(record)


def test_merging_two_activities_and_splitting_one(built, cast, client):
    client.force_login(cast.alice)
    client.post(f"/records/{built.pk}/activities/merge", {"activity": [1, 2]})
    record = Record.objects.get(pk=built.pk)
    assert activities_of(record) == {1: ["run1/a.tif", "run1/b.tif", "run1/c.tif", "run2/d.tif", "run2/e.tif"]}
    assert record.activity_count == 1
    at = _file(record, "run1/c.tif")
    client.post(f"/records/{built.pk}/files/{at.pk}/split", {})
    record = Record.objects.get(pk=built.pk)
    assert activities_of(record) == {1: ["run1/a.tif", "run1/b.tif"], 2: ["run1/c.tif", "run2/d.tif", "run2/e.tif"]}
    assert activities_of(_rebuilt(record)) == activities_of(record)
    assert [edit.action for edit in record.session.edits.order_by("at", "id")] == ["merge", "split"]


def test_impossible_moves_are_refused_with_a_message(built, cast, client):
    client.force_login(cast.alice)
    first = _file(built, "run1/a.tif")
    page = client.post(f"/records/{built.pk}/files/{first.pk}/split", {}, follow=True).content.decode()
    assert "already starts its activity" in page
    page = client.post(f"/records/{built.pk}/files/{first.pk}/move", {"activity": 9}, follow=True).content.decode()
    assert "no activity 9" in page
    page = client.post(f"/records/{built.pk}/activities/merge", {"activity": [1]}, follow=True).content.decode()
    assert "at least two activities" in page
    assert not Curation.objects.filter(groups__isnull=False).exists()


def test_a_file_sent_after_curation_keeps_the_arrangement_of_the_others(built, cast, client):
    from lims.sessions.models import DataFile

    client.force_login(cast.alice)
    client.post(f"/records/{built.pk}/activities/merge", {"activity": [1, 2]})
    late = _file(built, "run2/e.tif")
    copy = DataFile.objects.create(session=built.session, relative_path="run2/f.tif", size=late.size, sha256=late.sha256,
                                   mtime=late.mtime, acquired=late.acquired)
    copy.absolute_path.write_bytes(late.absolute_path.read_bytes())
    record = _rebuilt(built)
    # the curated activity stays whole; the new file is grouped by the build on its own
    assert activities_of(record) == {1: ["run1/a.tif", "run1/b.tif", "run1/c.tif", "run2/d.tif", "run2/e.tif"],
                                     2: ["run2/f.tif"]}


def test_only_the_experimenter_and_staff_rearrange(built, cast, client):
    client.force_login(cast.bob)
    data_file = _file(built, "run1/c.tif")
    assert client.post(f"/records/{built.pk}/files/{data_file.pk}/move", {"activity": 2}).status_code == 403
    assert client.post(f"/records/{built.pk}/files/{data_file.pk}/describe", {"description": "x"}).status_code == 403
    assert activities_of(Record.objects.get(pk=built.pk))[2] == ["run2/d.tif", "run2/e.tif"]
