"""Guessing is bounded: passwords on the site's and the admin's login pages lock out, invalid tokens are throttled."""
import pytest

WRONG = {"username": "alice", "password": "not-her-password"}
RIGHT = {"username": "alice", "password": "alice-password"}


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token_guess": "5/hour"}}


@pytest.mark.parametrize("page", ["/accounts/login/", "/admin/login/"])
def test_a_password_guesser_is_locked_out_even_with_the_right_password(client, cast, limits, page):
    for _ in range(2):
        assert client.post(page, WRONG).status_code == 200  # the form again, with its error
    assert client.post(page, WRONG).status_code == 429  # the third failure locks
    locked = client.post(page, RIGHT)
    assert locked.status_code == 429
    assert b"Too many attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_name(client, cast, limits):
    for _ in range(3):
        client.post("/accounts/login/", WRONG)
    elsewhere = client.post("/accounts/login/", RIGHT, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302  # the same account from another address logs in


def test_an_address_guessing_tokens_is_answered_429(api, cast, limits):
    for guess in range(5):
        assert api(f"guess-{guess}").get("/api/v1/records/").status_code == 401
    blocked = api(cast.tokens["alice"]).get("/api/v1/records/")
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "throttled"
    assert int(blocked["Retry-After"]) > 0


def test_valid_tokens_are_never_counted(api, cast, limits):
    for _ in range(20):
        assert api(cast.tokens["alice"]).get("/api/v1/records/").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(api, cast, limits, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for guess in range(5):
        api(f"guess-{guess}").get("/api/v1/records/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert api(cast.tokens["alice"]).get("/api/v1/records/",
                                         HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert api(cast.tokens["alice"]).get("/api/v1/records/",
                                         HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200
