"""The experimenter shares a record with the facility or the public; nobody else can."""
import pytest

from lims.records import pipeline
from lims.search.service import search
from lims.sessions.models import Session, Visibility
from tests.data.make_session_files import tiff_bytes


@pytest.fixture
def record(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)}, user="alice")
    Session.objects.filter(pk=session.pk).update(account=cast.alice)
    pipeline.build_now(str(session.pk))
    return Session.objects.get(pk=session.pk).record


def _ids(user):
    return [r.pk for r in search(user, "").records]


def test_the_experimenter_shares_with_the_facility_and_search_follows(record, cast, api):
    assert record.pk not in _ids(cast.charlie)
    response = api(cast.tokens["alice"]).post(f"/api/v1/records/{record.pk}/visibility",
                                              {"visibility": "facility"}, format="json")
    assert response.status_code == 200 and response.json() == {"visibility": "facility"}
    assert Session.objects.get(pk=record.session_id).visibility == Visibility.FACILITY
    assert record.pk in _ids(cast.charlie)
    assert api(cast.tokens["charlie"]).get(f"/api/v1/records/{record.pk}/").status_code == 200


def test_a_group_mate_may_see_but_not_share(record, cast, api):
    response = api(cast.tokens["bob"]).post(f"/api/v1/records/{record.pk}/visibility",
                                            {"visibility": "public"}, format="json")
    assert response.status_code == 403
    assert Session.objects.get(pk=record.session_id).visibility == Visibility.PRIVATE


def test_an_outsider_cannot_even_find_it(record, cast, api):
    response = api(cast.tokens["charlie"]).post(f"/api/v1/records/{record.pk}/visibility",
                                                {"visibility": "public"}, format="json")
    assert response.status_code == 404


def test_a_wrong_value_is_refused_with_a_message(record, cast, api):
    response = api(cast.tokens["alice"]).post(f"/api/v1/records/{record.pk}/visibility",
                                              {"visibility": "everyone"}, format="json")
    assert response.status_code == 400
    assert "private, facility, public" in response.json()["detail"]


def test_the_page_form_makes_a_record_public(record, cast, client):
    client.force_login(cast.alice)
    response = client.post(f"/records/{record.pk}/visibility", {"visibility": "public"})
    assert response.status_code == 302
    client.logout()
    assert client.get(f"/records/{record.pk}/").status_code == 200


def test_only_the_experimenter_sees_the_share_form(record, cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert 'action="/records/%d/visibility"' % record.pk in page
    assert "nexus.xml" in page
    client.force_login(cast.bob)
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "/visibility" not in page
