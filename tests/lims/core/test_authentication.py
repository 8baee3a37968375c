"""One header for people and instruments: `Authorization: Token <key>`."""
import pytest
from rest_framework.exceptions import AuthenticationFailed

from lims.core.authentication import InstrumentAgent, TokenAuthentication, instrument_of


def test_it_authenticates_a_personal_token_as_its_user(cast):
    user, token = TokenAuthentication().authenticate_credentials(cast.tokens["alice"])
    assert user == cast.alice
    assert token.key == cast.tokens["alice"]


def test_it_authenticates_an_instrument_token_as_that_instrument(cast):
    agent, instrument = TokenAuthentication().authenticate_credentials(cast.quanta.api_token)
    assert isinstance(agent, InstrumentAgent)
    assert instrument == cast.quanta
    assert agent.is_authenticated and not agent.is_staff
    assert str(agent) == "instrument quanta"


def test_it_refuses_an_unknown_token_with_a_clear_message(cast):
    with pytest.raises(AuthenticationFailed, match="no user or instrument has it"):
        TokenAuthentication().authenticate_credentials("0" * 40)



def test_it_refuses_the_token_of_a_disabled_instrument(cast):
    cast.titan.active = False
    cast.titan.save()
    with pytest.raises(AuthenticationFailed, match="This instrument is disabled."):
        TokenAuthentication().authenticate_credentials(cast.titan.api_token)


def test_it_finds_no_instrument_behind_a_person(cast):
    class _Request:
        user = cast.alice

    assert instrument_of(_Request()) is None
