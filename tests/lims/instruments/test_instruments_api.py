"""Instruments API: list by hostname (any case), detail by PID, an instrument token sees itself."""


def test_it_lists_instruments_matching_a_hostname_in_any_case(api, cast):
    response = api(cast.tokens["alice"]).get("/api/v1/instruments/", {"hostname": "titan-pc"})
    assert response.status_code == 200
    assert response.json()["results"] == [{
        "pid": "titan", "name": "FEI Titan", "location": "Room 101", "hostname": "TITAN-PC",
        "share_path": "", "timezone": "UTC",
    }]


def test_it_lists_every_instrument_to_a_person(api, cast):
    response = api(cast.tokens["charlie"]).get("/api/v1/instruments/")
    assert [i["pid"] for i in response.json()["results"]] == ["quanta", "titan"]


def test_it_lists_only_its_own_instrument_to_an_instrument_token(api, cast):
    titan = api(cast.titan.api_token)
    assert [i["pid"] for i in titan.get("/api/v1/instruments/").json()["results"]] == ["titan"]
    assert titan.get("/api/v1/instruments/quanta/").status_code == 404


def test_it_shows_an_instrument_by_pid(api, cast):
    response = api(cast.tokens["bob"]).get("/api/v1/instruments/quanta/")
    assert response.status_code == 200
    assert response.json()["name"] == "FEI Quanta"


def test_it_does_not_let_a_person_change_an_instrument(api, cast):
    response = api(cast.tokens["staff"]).delete("/api/v1/instruments/quanta/")
    assert response.status_code == 405


def test_it_requires_a_token(api, cast):
    assert api().get("/api/v1/instruments/").status_code == 401


def test_it_refuses_a_disabled_instruments_token(api, cast):
    cast.quanta.active = False
    cast.quanta.save()
    response = api(cast.quanta.api_token).get("/api/v1/instruments/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This instrument is disabled."
