"""Every API error is {"detail", "code"}: validation errors are summarised, extra keys kept."""
from rest_framework.exceptions import ValidationError

from lims.core.exceptions import Conflict, exception_handler


def test_it_summarises_field_errors_in_one_line():
    response = exception_handler(ValidationError({"user": ["This field is required."], "id": ["Bad."]}), {})
    assert response.status_code == 400
    assert response.data["detail"] == "user: This field is required.; id: Bad."
    assert response.data["code"] == "invalid"
    assert response.data["errors"]["user"] == ["This field is required."]


def test_it_keeps_the_code_and_extra_keys_of_a_conflict():
    response = exception_handler(Conflict("Busy.", code="session_open", open_session="abc"), {})
    assert response.status_code == 409
    assert response.data == {"detail": "Busy.", "code": "session_open", "open_session": "abc"}


def test_it_answers_an_unauthenticated_call_with_401_and_a_code(api, db):
    response = api().get("/api/v1/sessions/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
