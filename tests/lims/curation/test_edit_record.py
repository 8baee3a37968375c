"""The experimenter (and staff) edit a built record: kept in the history, XML rebuilt and valid, search updated."""
import pytest

from lims.curation.models import Edit
from lims.records.models import Record
from lims.search.service import search
from records.validate import validate

pytestmark = pytest.mark.django_db


def _edit(client, record, **values):
    fields = {"title": record.title, "description": "", "sample": "steel", "project": "alloys", "purpose": ""}
    fields.update(values)
    return client.post(f"/records/{record.pk}/edit/", fields)


def test_the_experimenter_edits_the_summary_and_the_record_is_rebuilt(built, cast, client):
    client.force_login(cast.alice)
    form = client.get(f"/records/{built.pk}/edit/").content.decode()
    assert 'name="title"' in form and "steel" in form
    response = _edit(client, built, title="Martensite laths in quenched steel", description="Etched 10 s in nital.",
                     sample="steel 42CrMo4", purpose="Check the quench")
    assert (response.status_code, response["Location"]) == (302, f"/records/{built.pk}/")
    record = Record.objects.get(pk=built.pk)
    assert record.title == "Martensite laths in quenched steel"
    assert record.session.sample == "steel 42CrMo4" and record.session.purpose == "Check the quench"
    xml = record.xml.encode()
    assert validate(xml) == []
    assert b"<title>Martensite laths in quenched steel</title>" in xml
    assert b"<description>Etched 10 s in nital.</description>" in xml and b"steel 42CrMo4" in xml
    assert [r.pk for r in search(cast.alice, "martensite").records] == [record.pk]
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "Etched 10 s in nital." in page and "Saved (" in page


def test_every_change_is_in_the_history_with_who_when_and_what(built, cast, client):
    client.force_login(cast.alice)
    old_title = built.title
    _edit(client, built, title="New title", project="alloys 2")
    edits = list(Edit.objects.filter(session=built.session).order_by("action"))
    assert [(e.action, e.username, e.before, e.after) for e in edits] == [
        ("project", "alice", "alloys", "alloys 2"), ("title", "alice", old_title, "New title")]
    history = client.get(f"/records/{built.pk}/history/").content.decode()
    assert "New title" in history and "alloys 2" in history and "2025-03-04" in history
    api = client.get(f"/api/v1/records/{built.pk}/history").json()
    assert {(e["action"], e["user"]) for e in api["results"]} == {("project", "alice"), ("title", "alice")}
    assert api["results"][0]["at"].endswith("+00:00")


def test_an_empty_title_gives_the_title_the_build_makes(built, cast, client):
    client.force_login(cast.alice)
    built_title = built.title
    _edit(client, built, title="Mine")
    _edit(client, Record.objects.get(pk=built.pk), title="")
    assert Record.objects.get(pk=built.pk).title == built_title


def test_an_unchanged_form_changes_nothing(built, cast, client):
    client.force_login(cast.alice)
    _edit(client, built)
    assert not Edit.objects.exists()


def test_staff_may_edit_a_group_mate_sees_403_and_an_outsider_404(built, cast, client):
    client.force_login(cast.staff)
    assert _edit(client, built, title="By staff").status_code == 302
    client.force_login(cast.bob)
    denied = _edit(client, built, title="By bob")
    assert denied.status_code == 403 and "Only the experimenter and staff" in denied.content.decode()
    client.force_login(cast.charlie)
    assert _edit(client, built, title="By charlie").status_code == 404
    assert Record.objects.get(pk=built.pk).title == "By staff"


def test_an_edit_that_would_make_the_record_invalid_changes_nothing(built, cast, client, settings):
    client.force_login(cast.alice)
    settings.RECORD_MAX_BYTES = len(built.xml.encode()) + 200  # a long description no longer fits
    response = _edit(client, built, title="Too big", description="x" * 1000)
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    record = Record.objects.get(pk=built.pk)
    assert record.title == built.title and record.xml == built.xml
    assert not Edit.objects.exists()


def test_a_field_longer_than_its_limit_is_refused(built, cast, client):
    client.force_login(cast.alice)
    response = _edit(client, built, title="t" * 501)
    assert "longer than 500 characters" in response.content.decode()
    assert Record.objects.get(pk=built.pk).title == built.title


def test_an_edit_during_a_build_is_kept_and_applied_by_that_build_not_claimed_as_rebuilt(built, cast, client):
    from lims.records import pipeline
    from lims.sessions import builds

    client.force_login(cast.alice)
    assert builds.queue_build(built.session, rebuild=True)  # ENDED again; its build waits for the workers
    page = client.post(f"/records/{built.pk}/edit/", {"title": "Later title", "sample": "steel", "project": "alloys"},
                       follow=True).content.decode()
    assert "once the build of its session under way is done" in page
    assert Record.objects.get(pk=built.pk).title != "Later title"
    assert pipeline.build_now(str(built.session_id)) == "COMPLETED"
    assert Record.objects.get(pk=built.pk).title == "Later title"
