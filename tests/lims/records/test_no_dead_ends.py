"""Daily use without dead ends: the landing page, styled 404/403 with a way to log in, the token page, favicon."""
import pytest
from record_factory import make_record

from lims.sessions.models import Session

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_land_on_public_records_counts_and_a_search_box(records, client, settings):
    settings.FACILITY_NAME = "Nanolab"
    page = client.get("/").content.decode()
    assert "<h1>Nanolab</h1>" in page and "<title>Home · Nanolab</title>" in page
    assert 'action="/records/" role="search"' in page
    assert "Public demo of pollen" in page and "EELS of platinum nanoparticles" not in page
    assert '<a href="/records/?q=instrument:quanta">quanta</a> <span class="count">1 record</span>' in page


def test_a_logged_in_visitor_sees_their_latest_records_and_the_logo(records, cast, client, settings):
    settings.FACILITY_LOGO_URL = "/static/logo.png"
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert page.index("EELS of platinum nanoparticles") < page.index("SEM of zeolite crystals")
    assert '<img src="/static/logo.png" alt="" height="28">' in page
    assert '<a href="/records/?q=instrument:titan">titan</a>' in page


def test_a_record_one_may_not_see_gives_a_styled_page_with_a_login_link_that_comes_back(records, cast, client):
    record = records["platinum"]
    response = client.get(f"/records/{record.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Nothing to see here</h1>" in page and "not visible to visitors who are not logged in" in page
    assert f'<a class="button primary" href="/accounts/login/?next=/records/{record.pk}/">Log in</a>' in page
    answer = client.post("/accounts/login/", {"username": "alice", "password": "alice-password",
                                              "next": f"/records/{record.pk}/"})
    assert answer["Location"] == f"/records/{record.pk}/"
    assert client.get(answer["Location"]).status_code == 200


def test_a_missing_page_is_styled_too_and_staff_only_actions_give_a_styled_403(records, cast, client):
    assert "<h1>Nothing to see here</h1>" in client.get("/no/such/page").content.decode()
    client.force_login(cast.bob)
    denied = client.get(f"/records/{records['platinum'].pk}/edit/")
    assert denied.status_code == 403 and "<h1>Not allowed</h1>" in denied.content.decode()


def test_the_token_page_is_never_cached_offers_a_copy_button_and_asks_before_regenerating(cast, client):
    from rest_framework.authtoken.models import Token

    client.force_login(cast.alice)
    old = cast.tokens["alice"]
    response = client.get("/accounts/token/")
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f'value="{old}" readonly' in page and 'class="copy" data-copy="token"' in page
    assert '<a class="button" href="/accounts/token/?regenerate">Regenerate…</a>' in page
    confirm = client.get("/accounts/token/?regenerate").content.decode()
    assert "Make a new token?" in confirm and "Yes, make a new token" in confirm
    assert Token.objects.get(user=cast.alice).key == old  # asking changed nothing
    made = client.post("/accounts/token/")
    assert "no-store" in made["Cache-Control"]
    assert Token.objects.get(user=cast.alice).key != old


def test_every_page_has_a_favicon_a_skip_link_and_one_h1(records, cast, client):
    client.force_login(cast.alice)
    record = records["platinum"]
    for url in ("/", f"/records/{record.pk}/", "/accounts/token/", f"/records/{record.pk}/table/"):
        page = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/core/favicon.svg"' in page, url
        assert '<a class="skip" href="#main">Skip to content</a>' in page, url
        assert page.count("<h1") == 1, url
    assert client.get("/favicon.ico")["Location"] == "/static/core/favicon.svg"


def test_the_page_of_an_active_session_lists_the_files_that_arrived_with_their_previews(cast, client):
    record = make_record(cast.titan, "alice", cast.alice, files=[{"name": "first.tif"}, {"name": "second.tif",
                                                                                      "preview": False}])
    session = record.session
    record.delete()
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE, end=None)
    client.force_login(cast.alice)
    page = client.get(f"/records/session/{session.pk}/").content.decode()
    assert "Session under way on FEI Titan" in page and 'data-url="?part=files"' in page
    first = session.files.get(relative_path="first.tif")
    assert f'<img src="/records/session/{session.pk}/files/{first.pk}/preview.png" alt="Preview of first.tif"' in page
    assert "2 files arrived" in page
    part = client.get(f"/records/session/{session.pk}/", {"part": "files"}).content.decode()
    assert "<html" not in part and "second.tif" in part
    preview = client.get(f"/records/session/{session.pk}/files/{first.pk}/preview.png")
    assert preview["Content-Type"] == "image/png"
    client.force_login(cast.charlie)
    assert client.get(f"/records/session/{session.pk}/").status_code == 404
