"""/manage/: the administrator's overview, for staff only, with figures aggregated by the database."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lims.operations.models import FixityAudit
from lims.records.models import Record
from lims.sessions.models import Session
from tests.lims.operations.installation import recent_sessions


@pytest.fixture
def recent(cast, make_session):
    return recent_sessions(cast, make_session)


def test_it_sends_people_who_are_not_logged_in_to_log_in(client, db):
    response = client.get("/manage/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/manage/")


def test_it_refuses_people_who_are_not_staff(client, cast, recent):
    client.force_login(cast.alice)

    assert client.get("/manage/").status_code == 403
    assert client.post(f"/manage/sessions/{recent[1].pk}/rebuild").status_code == 403
    assert Session.objects.get(pk=recent[1].pk).state == Session.State.ERROR


def test_it_shows_staff_the_use_of_each_instrument_per_month(client, cast, recent):
    client.force_login(cast.staff)

    response = client.get("/manage/")

    assert response.status_code == 200
    rows = {(row["instrument"], row["month"].strftime("%Y-%m")): row for row in response.context["monthly"]}
    month = recent[0][0].start.strftime("%Y-%m")
    titan = rows[("titan", month)]
    assert (titan["sessions"], titan["files"], titan["failed"]) == (2, 6, 2)
    assert titan["bytes"] == sum(f.size for s in recent[0] for f in s.files.all())
    assert titan["median_build_seconds"] is not None and titan["median_build_seconds"] >= 0
    assert (rows[("quanta", month)]["sessions"], rows[("quanta", month)]["median_build_seconds"]) == (1, None)
    chart = response.context["chart"]
    assert [series["label"] for series in chart["series"]] == ["quanta", "titan"]
    assert b'id="usage-data"' in response.content


def test_it_lists_failed_and_stalled_builds_and_grouped_errors(client, cast, recent, settings):
    built, failed = recent
    stuck = built[0]
    Session.objects.filter(pk=stuck.pk).update(state=Session.State.BUILDING, build_queued=timezone.now(),
                                               state_changed=timezone.now() - timedelta(hours=1),
                                               build_progress=timezone.now() - timedelta(hours=1))
    client.force_login(cast.staff)

    response = client.get("/manage/")

    assert [s.pk for s in response.context["failed"]] == [failed.pk]
    assert [s.pk for s in response.context["stalled"]] == [stuck.pk]
    assert response.content.count(b">Rebuild<") == 2
    [error] = response.context["errors"]
    assert error["files"] == 2 and error["error"]


def test_the_rebuild_button_builds_the_record_through_the_one_entry_point(client, cast, recent,
                                                                          django_capture_on_commit_callbacks):
    failed = recent[1]
    client.force_login(cast.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/sessions/{failed.pk}/rebuild")

    assert response.status_code == 302 and response["Location"] == "/manage/"
    failed.refresh_from_db()
    assert failed.state == Session.State.COMPLETED
    assert Record.objects.filter(session=failed).exists()


def test_it_shows_the_last_fixity_audit(client, cast, db):
    FixityAudit.objects.create(finished=timezone.now(), checked=12, changed=1,
                               problems=[{"kind": "changed", "path": "titan/2025/x/a.tif"}])
    client.force_login(cast.staff)

    response = client.get("/manage/")

    assert b"0 missing, 1 changed, 0 unreferenced" in response.content
    assert b"titan/2025/x/a.tif" in response.content


def test_its_queries_do_not_grow_with_the_installation(client, cast, make_session, recent):
    client.force_login(cast.staff)
    client.get("/manage/")  # the first request loads the session, permissions and such
    with CaptureQueriesContext(connection) as few:
        client.get("/manage/")
    day = timezone.now() - timedelta(days=40)
    for number in range(15):
        session = make_session(cast.quanta if number % 2 else cast.titan, {f"f{number}.txt": b"x\n"},
                               times=[day - timedelta(days=number * 9)])
        Session.objects.filter(pk=session.pk).update(state=Session.State.ERROR if number % 3 else Session.State.ENDED)
    with CaptureQueriesContext(connection) as many:
        client.get("/manage/")

    assert len(many.captured_queries) == len(few.captured_queries)
