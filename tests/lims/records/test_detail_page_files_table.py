"""The files table and gallery strip of the record page: every file's row, escaped, with its links and marks."""
import pytest
from record_factory import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast):
    record = make_record(cast.titan, "alice", cast.alice, title="Odd names", files=[
        {"name": 'area/a&b <x> "1".dm3', "format": "DigitalMicrograph 3"},
        {"name": "area/plain.bin", "format": "", "preview": False},
    ])
    record.session.files.filter(relative_path="area/plain.bin").update(version=2, error="cannot read: bad header")
    return record


def _page(client, cast, record) -> str:
    client.force_login(cast.alice)
    response = client.get(f"/records/{record.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_file_names_are_escaped_in_the_row_and_the_gallery(record, cast, client):
    page = _page(client, cast, record)
    escaped = "area/a&amp;b &lt;x&gt; &quot;1&quot;.dm3"
    # big preview's alt and caption, the strip's caption and label, the row's link and download label
    assert page.count(escaped) == 6
    assert "<x>" not in page


def test_each_row_links_its_page_download_metadata_and_preview(record, cast, client):
    page = _page(client, cast, record)
    named = record.session.files.get(format="DigitalMicrograph 3")
    url = f"/records/{record.pk}/files/{named.pk}/"
    assert f'<tr id="file-{named.pk}">' in page
    assert f'<a href="{url}view/">' in page
    assert f'<table class="files" data-files="/records/{record.pk}/files/">' in page  # + id + "/metadata/"
    assert f'<button type="button" class="link meta-toggle" aria-expanded="false">Metadata</button>' in page
    assert client.get(f"{url}metadata/").status_code == 200
    assert f'<a href="{url}" download aria-label="Download area/a&amp;b &lt;x&gt; &quot;1&quot;.dm3">' in page
    assert f'<img class="pop" src="{url}preview.png" alt="" loading="lazy">' in page
    assert f'<button type="button" class="shot current" data-src="{url}preview.png"' in page
    assert page.count('class="shot') == 1


def test_a_failed_file_of_a_later_version_is_marked_with_its_reason(record, cast, client):
    page = _page(client, cast, record)
    failed = record.session.files.get(relative_path="area/plain.bin")
    assert f'<tr id="file-{failed.pk}" class="failed">' in page
    assert '<span class="muted">v2</span>' in page
    assert '<span class="badge bad" title="cannot read: bad header">cannot read: bad header</span>' in page
    assert page.count('class="failed"') == 1
    assert '<td class="num">22\xa0bytes</td>' in page  # len(b"data of area/plain.bin")


def test_files_with_problems_are_listed_at_the_top_with_what_went_wrong(record, cast, client):
    record.session.files.filter(format="DigitalMicrograph 3").update(warnings=["calibration missing"])
    page = _page(client, cast, record)
    problems = page[page.index('id="problems"'):page.index('id="files"')]
    assert "Problems in 2 files" in problems
    assert "area/plain.bin" in problems and "cannot read: bad header" in problems
    assert "calibration missing" in problems
    assert page.index('id="problems"') < page.index('id="gallery"')


def test_files_can_be_filtered_by_name_and_by_type(record, cast, client):
    client.force_login(cast.alice)
    by_name = client.get(f"/records/{record.pk}/?name=plain").content.decode()
    assert "area/plain.bin" in by_name and "a&amp;b" not in by_name.split('id="files"')[1]
    by_type = client.get(f"/records/{record.pk}/?type=DigitalMicrograph+3").content.decode()
    tables = by_type.split('id="files"')[1]
    assert "a&amp;b" in tables and "plain.bin" not in tables
