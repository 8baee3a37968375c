"""The files table and gallery strip of the record page: every file's row, escaped, with its links."""
import pytest
from record_factory import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast):
    record = make_record(cast.titan, "alice", cast.alice, title="Odd names", files=[
        {"name": 'area/a&b <x> "1".dm3', "format": "DigitalMicrograph 3"},
        {"name": "area/plain.bin", "format": "", "preview": False},
    ])
    record.session.files.filter(relative_path="area/plain.bin").update(version=2, error="cannot read")
    return record


def _page(client, cast, record) -> str:
    client.force_login(cast.alice)
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_file_names_are_escaped_in_the_row_and_the_gallery(record, cast, client):
    page = _page(client, cast, record)
    escaped = "area/a&amp;b &lt;x&gt; &quot;1&quot;.dm3"
    assert page.count(escaped) == 4  # big preview's caption and alt, strip caption, table row
    assert "<x>" not in page


def test_each_row_links_its_download_metadata_and_preview(record, cast, client):
    page = _page(client, cast, record)
    named = record.session.files.get(format="DigitalMicrograph 3")
    url = f"/records/{record.pk}/files/{named.pk}/"
    assert f'<td><details class="lazy-meta" data-url="{url}metadata/">' in page
    assert f'<td><a href="{url}" download>Download</a></td>' in page
    assert f'<img class="pop" src="{url}preview.png" alt="" loading="lazy">' in page
    assert f'<button type="button" class="shot current" data-src="{url}preview.png"' in page
    assert page.count('class="shot') == 1


def test_a_failed_file_of_a_later_version_is_marked_and_shows_its_type_and_size(record, cast, client):
    page = _page(client, cast, record)
    assert '<tr class="failed"><td class="name">area/plain.bin <span class="muted">v2</span></td>' in page
    assert '<td><span class="badge">file</span></td>' in page
    assert '<td><span class="badge">DigitalMicrograph 3</span></td>' in page
    assert page.count('<tr class="failed">') == 1
    assert '<td class="num">22\xa0bytes</td>' in page  # len(b"data of area/plain.bin")
