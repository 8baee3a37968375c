"""Where the client finds its server: LIMS_URL/LIMS_TOKEN, or a profile that `lims-client login` checked and saved."""
import stat

import pytest

import lims_client
from lims_client import cli, config


@pytest.fixture(autouse=True)
def _own_config(tmp_path, monkeypatch):
    monkeypatch.setenv("LIMS_CLIENT_CONFIG", str(tmp_path / "profiles.json"))
    monkeypatch.delenv("LIMS_URL", raising=False)
    monkeypatch.delenv("LIMS_TOKEN", raising=False)
    monkeypatch.delenv("LIMS_PROFILE", raising=False)


def test_login_saves_a_profile_only_the_owner_reads_and_from_env_uses_it(server, cast, tmp_path, capsys):
    assert cli.main(["login", server.url, "--token", cast.tokens["alice"]]) == 0
    path = tmp_path / "profiles.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    client = lims_client.Client.from_env()
    assert client.url == server.url
    assert client.searches.list() == []  # a person's call that needs the token


def test_login_with_a_wrong_token_saves_nothing_and_says_so(server, cast, tmp_path, capsys):
    assert cli.main(["login", server.url, "--token", "f" * 40]) == 1
    error = capsys.readouterr().err
    assert "login failed" in error and "f" * 40 not in error
    assert not (tmp_path / "profiles.json").exists()


def test_the_environment_comes_first(monkeypatch):
    config.save_profile("default", "http://saved.example", "saved-token")
    monkeypatch.setenv("LIMS_URL", "http://env.example")
    monkeypatch.setenv("LIMS_TOKEN", "env-token")
    assert config.find() == ("http://env.example", "env-token")
    assert config.find("default") == ("http://saved.example", "saved-token")


def test_without_any_configuration_it_says_what_to_do():
    with pytest.raises(LookupError, match="lims-client login"):
        lims_client.Client.from_env()
