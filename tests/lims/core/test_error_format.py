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


def test_deeply_nested_json_is_a_400(api, cast):
    body = "[" * 100_000 + "]" * 100_000
    response = api(cast.titan.api_token).post("/api/v1/sessions/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_an_unknown_api_address_is_a_json_404(api, cast):
    response = api(cast.tokens["alice"]).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unexpected_error_is_a_json_500_without_its_details(caplog):
    response = exception_handler(RuntimeError("secret internals"), {})
    assert response.status_code == 500
    assert response.data == {"detail": "Internal server error; the details are in the server's log.",
                             "code": "server_error"}
    assert "secret internals" in caplog.text


def test_a_database_that_is_away_is_a_503_to_retry():
    from django.db import OperationalError

    response = exception_handler(OperationalError("server closed the connection unexpectedly"), {})
    assert response.status_code == 503
    assert response.data["code"] == "unavailable"
    assert response["Retry-After"] == "5"


def test_a_full_disk_is_a_507():
    import errno

    response = exception_handler(OSError(errno.ENOSPC, "No space left on device"), {})
    assert response.status_code == 507
    assert response.data["code"] == "disk_full"


def test_a_page_that_fails_outside_the_api_is_still_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
