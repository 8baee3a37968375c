"""The one permission class: staff all, instrument tokens their own instrument, people read their own."""
import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from lims.core.authentication import InstrumentAgent
from lims.core.permissions import Scoped, visible_sessions
from lims.sessions.models import DataFile, Session


def _request(method, user, auth=None):
    raw = getattr(APIRequestFactory(), method)("/")
    force_authenticate(raw, user=user, token=auth)
    request = Request(raw)
    request.user = user
    return request


@pytest.fixture
def titan_session(cast):
    return Session.objects.create(instrument=cast.titan, user="alice", account=cast.alice)


def test_it_lets_an_instrument_act_only_on_its_own_objects(cast, titan_session):
    datafile = DataFile.objects.create(session=titan_session, relative_path="a", sha256="0" * 64)
    titan = _request("post", InstrumentAgent(cast.titan), cast.titan)
    quanta = _request("post", InstrumentAgent(cast.quanta), cast.quanta)
    permission = Scoped()
    assert permission.has_permission(titan, None)
    assert permission.has_object_permission(titan, None, titan_session)
    assert permission.has_object_permission(titan, None, datafile)
    assert not permission.has_object_permission(quanta, None, titan_session)
    assert not permission.has_object_permission(quanta, None, datafile)
    assert not permission.has_object_permission(quanta, None, cast.titan)


def test_it_lets_people_only_read_their_own_sessions(cast, titan_session):
    permission = Scoped()
    assert not permission.has_permission(_request("post", cast.alice), None)
    alice = _request("get", cast.alice)
    assert permission.has_object_permission(alice, None, titan_session)
    assert not permission.has_object_permission(_request("get", cast.charlie), None, titan_session)
    assert permission.has_object_permission(_request("get", cast.charlie), None, cast.titan)


def test_it_lets_staff_do_everything(cast, titan_session):
    staff = _request("delete", cast.staff)
    assert Scoped().has_permission(staff, None)
    assert Scoped().has_object_permission(staff, None, titan_session)


def test_it_narrows_querysets_to_what_the_caller_sees(cast, titan_session):
    Session.objects.create(instrument=cast.quanta, user="bob", account=cast.bob)
    everything = Session.objects.all()
    assert visible_sessions(everything, _request("get", cast.staff)).count() == 2
    assert list(visible_sessions(everything, _request("get", cast.alice))) == [titan_session]
    assert visible_sessions(everything, _request("get", cast.charlie)).count() == 0
    titan = _request("get", InstrumentAgent(cast.titan), cast.titan)
    assert list(visible_sessions(everything, titan)) == [titan_session]
    files = DataFile.objects.all()
    assert visible_sessions(files, titan, "session__").count() == 0
