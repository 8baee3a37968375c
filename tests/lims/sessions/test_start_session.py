"""Starting a session: fields, account link, default instrument, idempotency, bad input."""
import uuid

from lims.sessions.models import Session, SessionEvent


def test_it_starts_a_session_for_the_tokens_instrument(titan, cast):
    session_id = str(uuid.uuid4())
    body = {"id": session_id, "user": "alice", "sample": "Au grid", "sample_id": "S-17", "project": "P1",
            "purpose": "EELS", "notes": "first", "start": "2026-11-20T09:30:00Z"}
    response = titan.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id"] == session_id
    assert data["instrument"] == "titan"
    assert data["state"] == "ACTIVE"
    assert (data["sample"], data["sample_id"], data["project"], data["purpose"]) == ("Au grid", "S-17", "P1", "EELS")
    assert data["start"] == "2026-11-20T09:30:00Z"
    assert data["end"] is None
    assert data["files"] == {"uploaded": 0, "extracted": 0, "failed": 0}
    assert data["record_url"] == f"http://127.0.0.1:8000/records/session/{session_id}/"
    session = Session.objects.get(pk=session_id)
    # "alice" is a username, so the session is linked to her account.
    assert session.account == cast.alice
    assert list(session.events.values_list("kind", flat=True)) == [SessionEvent.Kind.START]


def test_it_keeps_an_unknown_experimenter_name_without_an_account(start):
    data = start(user="Dr. Visitor")
    session = Session.objects.get(pk=data["id"])
    assert session.user == "Dr. Visitor"
    assert session.account is None


def test_it_returns_the_same_session_when_the_same_id_is_sent_again(titan):
    body = {"id": str(uuid.uuid4()), "user": "alice", "sample": "first"}
    first = titan.post("/api/v1/sessions/", body, format="json")
    again = titan.post("/api/v1/sessions/", {**body, "sample": "changed"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == body["id"]
    assert again.json()["sample"] == "first"
    assert Session.objects.count() == 1
    assert SessionEvent.objects.filter(kind="START").count() == 1


def test_it_refuses_a_second_open_session_on_the_same_instrument(titan, start):
    first = start()
    response = titan.post("/api/v1/sessions/", {"id": str(uuid.uuid4()), "user": "bob"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "session_open"
    assert response.json()["open_session"] == first["id"]
    assert "already has an open session" in response.json()["detail"]
    assert Session.objects.count() == 1


def test_it_allows_open_sessions_on_two_instruments(start, quanta):
    start()
    data = start(client=quanta)
    assert data["instrument"] == "quanta"


def test_it_lets_staff_start_a_session_naming_the_instrument(api, cast):
    staff = api(cast.tokens["staff"])
    body = {"id": str(uuid.uuid4()), "user": "bob", "instrument": "quanta"}
    response = staff.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201
    assert response.json()["instrument"] == "quanta"


def test_it_asks_staff_for_the_instrument(api, cast):
    response = api(cast.tokens["staff"]).post("/api/v1/sessions/", {"id": str(uuid.uuid4()), "user": "bob"},
                                              format="json")
    assert response.status_code == 400
    assert "instrument" in response.json()["detail"]


def test_it_rejects_an_unknown_instrument(api, cast):
    body = {"id": str(uuid.uuid4()), "user": "bob", "instrument": "krios"}
    response = api(cast.tokens["staff"]).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "instrument: Unknown instrument 'krios'."
    assert Session.objects.count() == 0


def test_it_rejects_a_token_of_another_instrument(titan):
    body = {"id": str(uuid.uuid4()), "user": "alice", "instrument": "quanta"}
    response = titan.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token acts only for its own instrument."
    assert Session.objects.count() == 0


def test_it_does_not_let_a_scientist_start_a_session(api, cast):
    body = {"id": str(uuid.uuid4()), "user": "alice", "instrument": "titan"}
    response = api(cast.tokens["alice"]).post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 403
    assert Session.objects.count() == 0


def test_it_refuses_the_same_id_on_another_instrument(start, quanta):
    first = start()
    response = quanta.post("/api/v1/sessions/", {"id": first["id"], "user": "bob"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "session_id_taken"


def test_it_answers_malformed_json_with_a_message(titan):
    response = titan.post("/api/v1/sessions/", '{"id": "x", "user": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "JSON parse error" in response.json()["detail"]


def test_it_names_the_missing_and_invalid_fields(titan):
    response = titan.post("/api/v1/sessions/", {"id": "not-a-uuid"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "id: Must be a valid UUID." in body["detail"]
    assert "user: This field is required." in body["detail"]


def test_it_treats_an_empty_instrument_as_the_tokens_own(titan):
    body = {"id": str(uuid.uuid4()), "user": "alice", "instrument": ""}
    response = titan.post("/api/v1/sessions/", body, format="json")
    assert response.status_code == 201
    assert response.json()["instrument"] == "titan"
