"""The metadata table of a record: chosen columns across its files, sortable values, and the same as CSV."""
import csv
import io

import pytest
from record_factory import make_record, quantity as q

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast):
    return make_record(cast.titan, "alice", cast.alice, files=[
        {"name": "a.tif", "metadata": {"stage_x": q(7.965, "mm"), "magnification": 5000, "detector": "ETD"}},
        {"name": "b.tif", "metadata": {"stage_x": q(25.76, "um"), "magnification": 120, "detector": "=HYPERLINK(1)"}},
        {"name": "c.tif", "metadata": {"stage_x": q(-194.177, "um"), "magnification": 120, "detector": "ETD"}},
    ])


def test_it_shows_the_columns_that_vary_in_one_unit_each_with_sortable_values(record, cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/records/{record.pk}/table/").content.decode()
    assert ">Stage x (µm)</button>" in page and ">Magnification</button>" in page and ">Detector</button>" in page
    assert '<td class="num" data-sort="0.007965">7965</td>' in page  # 7.965 mm in µm, sorted in metres
    assert '<td class="num" data-sort="2.576e-05">25.76</td>' in page


def test_chosen_columns_replace_the_defaults(record, cast, client):
    client.force_login(cast.alice)
    page = client.get(f"/records/{record.pk}/table/", {"columns": "detector,not_a_key"}).content.decode()
    assert ">Detector</button>" in page and ">Magnification</button>" not in page
    assert 'value="magnification">' in page  # still offered as a choice


def test_the_csv_has_the_same_columns_numbers_in_the_column_unit_and_no_formulas(record, cast, client):
    client.force_login(cast.alice)
    response = client.get(f"/records/{record.pk}/table.csv", {"columns": "stage_x,detector"})
    assert response["Content-Disposition"] == f'attachment; filename="record-{record.pk}-metadata.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["file", "version", "activity", "acquired (UTC)", "format", "Stage x (µm)", "Detector"]
    assert rows[1][0] == "a.tif" and rows[1][5] == "7965.0" and rows[1][6] == "ETD"
    assert rows[2][6] == "'=HYPERLINK(1)"  # spreadsheets must not run it
    assert rows[1][3] == "2025-03-14T09:00:00+00:00"


def test_the_table_of_an_invisible_record_is_not_found(record, cast, client):
    client.force_login(cast.charlie)
    assert client.get(f"/records/{record.pk}/table/").status_code == 404
    assert client.get(f"/records/{record.pk}/table.csv").status_code == 404
