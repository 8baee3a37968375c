"""Notes: each one is a NOTE event and a new line of the session's notes."""
from lims.sessions.models import Session, SessionEvent


def test_it_adds_a_note_event_and_appends_the_text(titan, start):
    data = start(notes="cold stage")
    first = titan.post(f"/api/v1/sessions/{data['id']}/notes/", {"text": "switched to EELS"}, format="json")
    titan.post(f"/api/v1/sessions/{data['id']}/notes/", {"text": "beam drift"}, format="json")
    assert first.status_code == 201
    assert first.json()["kind"] == "NOTE" and first.json()["text"] == "switched to EELS"
    assert Session.objects.get(pk=data["id"]).notes == "cold stage\nswitched to EELS\nbeam drift"
    texts = list(SessionEvent.objects.filter(session_id=data["id"], kind="NOTE").values_list("text", flat=True))
    assert texts == ["switched to EELS", "beam drift"]


def test_it_requires_text(titan, start):
    data = start()
    response = titan.post(f"/api/v1/sessions/{data['id']}/notes/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "text: This field is required."


def test_it_refuses_a_note_from_another_instrument(quanta, start):
    data = start()
    response = quanta.post(f"/api/v1/sessions/{data['id']}/notes/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert SessionEvent.objects.filter(kind="NOTE").count() == 0
