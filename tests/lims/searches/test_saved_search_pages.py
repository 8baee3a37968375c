"""Saved search pages: saving from a query, the preview, and nobody else's searches."""
from lims.searches.models import SavedSearch


def test_it_saves_a_search_from_the_page_and_shows_its_preview(client, cast, records):
    client.force_login(cast.alice)
    form = client.get("/searches/?q=instrument:titan")
    assert 'value="instrument:titan"' in form.content.decode()
    answer = client.post("/searches/", {"name": "Titan", "query": "instrument:titan"})
    saved = SavedSearch.objects.get(owner=cast.alice)
    assert answer.status_code == 302 and answer["Location"] == f"/searches/{saved.pk}/"
    page = client.get(f"/searches/{saved.pk}/").content.decode()
    assert "<strong>1</strong> record match now" in page
    assert "EELS of platinum nanoparticles" in page
    assert "Cathode diffraction study" not in page


def test_a_bad_query_is_shown_on_the_form_and_nothing_saved(client, cast):
    client.force_login(cast.alice)
    page = client.post("/searches/", {"name": "Broken", "query": "voltage >= 5 parsecs"}).content.decode()
    assert "Invalid query" in page
    assert not SavedSearch.objects.exists()


def test_another_persons_search_is_not_found(client, cast):
    saved = SavedSearch.objects.create(owner=cast.bob, name="bob's", query="zeolite")
    client.force_login(cast.alice)
    assert client.get(f"/searches/{saved.pk}/").status_code == 404
    assert client.post(f"/searches/{saved.pk}/delete").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_search_page_offers_to_save_the_query(client, cast, records):
    client.force_login(cast.alice)
    page = client.get("/records/?q=instrument%3Atitan").content.decode()
    assert 'href="/searches/?q=instrument%3Atitan">Save this search</a>' in page
