"""Ending: ACTIVE -> ENDED with an END event, the build queued; only once, only by its instrument."""
import uuid

from lims.sessions.models import Session, SessionEvent


def test_it_ends_the_session_at_the_given_time(titan, start):
    data = start(start="2026-11-22T09:00:00Z")
    response = titan.post(f"/api/v1/sessions/{data['id']}/end/", {"end": "2026-11-22T11:30:00Z"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "ENDED"
    assert body["end"] == "2026-11-22T11:30:00Z"
    assert body["record_url"] == f"http://127.0.0.1:8000/records/session/{data['id']}/"
    session = Session.objects.get(pk=data["id"])
    assert session.state == Session.State.ENDED
    kinds = list(session.events.values_list("kind", flat=True))
    assert kinds == ["START", "END"]


def test_it_ends_now_without_a_body(titan, start):
    data = start()
    response = titan.post(f"/api/v1/sessions/{data['id']}/end/")
    assert response.status_code == 200
    assert response.json()["end"] is not None


def test_it_frees_the_instrument_for_the_next_session(titan, start):
    first = start()
    titan.post(f"/api/v1/sessions/{first['id']}/end/")
    second = start()
    assert second["state"] == "ACTIVE"


def test_it_refuses_to_end_a_session_twice(titan, start):
    data = start()
    titan.post(f"/api/v1/sessions/{data['id']}/end/")
    again = titan.post(f"/api/v1/sessions/{data['id']}/end/")
    assert again.status_code == 409
    assert again.json()["code"] == "session_not_active"
    assert "ENDED, not ACTIVE" in again.json()["detail"]
    assert SessionEvent.objects.filter(session_id=data["id"], kind="END").count() == 1


def test_it_answers_404_for_an_unknown_session(titan, cast):
    response = titan.post(f"/api/v1/sessions/{uuid.uuid4()}/end/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_it_refuses_to_end_another_instruments_session(quanta, start):
    data = start()
    response = quanta.post(f"/api/v1/sessions/{data['id']}/end/")
    assert response.status_code == 403
    assert Session.objects.get(pk=data["id"]).state == Session.State.ACTIVE


def test_it_does_not_let_a_scientist_end_their_session(api, cast, start):
    data = start(user="alice")
    response = api(cast.tokens["alice"]).post(f"/api/v1/sessions/{data['id']}/end/")
    assert response.status_code == 403
    assert Session.objects.get(pk=data["id"]).state == Session.State.ACTIVE
