"""Who reads which sessions: tokens, owners, outsiders, staff; and the list filters."""
import uuid

from lims.sessions.models import Session


def test_it_requires_a_valid_token(api, start):
    data = start()
    assert api().get(f"/api/v1/sessions/{data['id']}/").status_code == 401
    response = api("wrong-token").get(f"/api/v1/sessions/{data['id']}/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token: no user or instrument has it."


def test_it_lets_the_experimenter_read_their_session(api, cast, start):
    data = start(user="alice")
    response = api(cast.tokens["alice"]).get(f"/api/v1/sessions/{data['id']}/")
    assert response.status_code == 200
    assert response.json()["user"] == "alice"


def test_it_hides_a_session_from_someone_else(api, cast, start):
    data = start(user="alice")
    charlie = api(cast.tokens["charlie"])
    assert charlie.get(f"/api/v1/sessions/{data['id']}/").status_code == 404
    assert charlie.get("/api/v1/sessions/").json()["count"] == 0


def test_it_hides_a_session_from_another_instrument(quanta, start):
    data = start()
    assert quanta.get(f"/api/v1/sessions/{data['id']}/").status_code == 404
    assert quanta.get(f"/api/v1/sessions/{data['id']}/files/").status_code == 404


def test_it_lists_sessions_by_instrument_and_state(api, cast, titan, quanta, start):
    ended = start()
    titan.post(f"/api/v1/sessions/{ended['id']}/end/")
    active = start()
    other = start(client=quanta)
    staff = api(cast.tokens["staff"])
    listed = staff.get("/api/v1/sessions/", {"instrument": "titan", "state": "ACTIVE"}).json()
    assert [s["id"] for s in listed["results"]] == [active["id"]]
    assert staff.get("/api/v1/sessions/").json()["count"] == 3
    # The Titan's own token lists only the Titan's sessions.
    own = {s["id"] for s in titan.get("/api/v1/sessions/").json()["results"]}
    assert own == {ended["id"], active["id"]}
    assert other["id"] not in own


def test_it_rejects_an_unknown_state_filter(titan, cast):
    response = titan.get("/api/v1/sessions/", {"state": "SLEEPING"})
    assert response.status_code == 400
    assert "Unknown state 'SLEEPING'" in response.json()["detail"]


def test_it_answers_404_for_a_malformed_session_id(titan, cast):
    assert titan.get("/api/v1/sessions/not-a-uuid/").status_code == 404
    assert Session.objects.count() == 0


def test_it_answers_404_for_an_unknown_session(titan, cast):
    assert titan.get(f"/api/v1/sessions/{uuid.uuid4()}/").status_code == 404
