"""Heartbeats: they move last_heartbeat forward and share one event while nothing else happens."""
import uuid

from lims.sessions.models import Session, SessionEvent


def _beat(client, session_id, at=None):
    return client.post(f"/api/v1/sessions/{session_id}/heartbeat/", {"at": at} if at else {}, format="json")


def test_it_records_the_heartbeat_time(titan, start):
    data = start(start="2026-11-22T09:00:00Z")
    response = _beat(titan, data["id"], "2026-11-22T10:00:00Z")
    assert response.status_code == 200
    assert response.json()["last_heartbeat"] == "2026-11-22T10:00:00Z"
    assert Session.objects.get(pk=data["id"]).last_heartbeat.isoformat() == "2026-11-22T10:00:00+00:00"


def test_it_accepts_a_heartbeat_without_a_body(titan, start):
    data = start()
    response = titan.post(f"/api/v1/sessions/{data['id']}/heartbeat/")
    assert response.status_code == 200
    assert response.json()["last_heartbeat"] is not None


def test_it_keeps_one_event_for_consecutive_heartbeats(titan, start):
    data = start(start="2026-11-22T09:00:00Z")
    for minute in ("01", "02", "03"):
        _beat(titan, data["id"], f"2026-11-22T09:{minute}:00Z")
    events = list(SessionEvent.objects.filter(session_id=data["id"]).values_list("kind", "at"))
    assert [kind for kind, _ in events] == ["START", "HEARTBEAT"]
    assert events[1][1].isoformat() == "2026-11-22T09:03:00+00:00"


def test_it_starts_a_new_heartbeat_event_after_a_note(titan, start):
    data = start()
    _beat(titan, data["id"])
    titan.post(f"/api/v1/sessions/{data['id']}/notes/", {"text": "changed sample"}, format="json")
    _beat(titan, data["id"])
    kinds = list(SessionEvent.objects.filter(session_id=data["id"]).values_list("kind", flat=True))
    assert kinds == ["START", "HEARTBEAT", "NOTE", "HEARTBEAT"]


def test_it_refuses_a_heartbeat_for_an_ended_session(titan, start):
    data = start()
    titan.post(f"/api/v1/sessions/{data['id']}/end/")
    response = _beat(titan, data["id"])
    assert response.status_code == 409
    assert response.json()["code"] == "session_not_active"


def test_it_refuses_a_heartbeat_from_another_instrument(quanta, start):
    data = start()
    response = _beat(quanta, data["id"])
    assert response.status_code == 403
    assert Session.objects.get(pk=data["id"]).last_heartbeat is None


def test_it_answers_404_for_an_unknown_session(titan, cast):
    assert _beat(titan, uuid.uuid4()).status_code == 404
