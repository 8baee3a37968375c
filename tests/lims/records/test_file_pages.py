"""One file's page and metadata: settings that differ from its activity, axes, file facts, marks, scale bar, tree."""
import pytest
from record_factory import make_record, quantity as q

pytestmark = pytest.mark.django_db

DIMENSIONS = [{"name": "y", "size": 512, "scale": 2.0, "offset": 0.0, "unit": "nm", "navigate": False},
              {"name": "x", "size": 512, "scale": 2.0, "offset": 0.0, "unit": "nm", "navigate": False}]


@pytest.fixture
def record(cast):
    common = {"acceleration_voltage": q(200, "kV"), "detector": "HAADF", "dimensions": DIMENSIONS,
              "signal_type": "image"}
    return make_record(cast.titan, "alice", cast.alice, title="Two frames", files=[
        {"name": "a.dm3", "format": "dm3", "metadata": {**common, "dwell_time": q(100000, "us"), "operator": "supervisor",
                                                        "size": 2048, "data_type": "uint16",
                                                        "modified_time": "2025-03-14T09:00:00+00:00"},
         "original_metadata": {"Microscope Info": {"Voltage": 200000, "Stage": {"Alpha": -0.0}}}},
        {"name": "b.dm3", "format": "dm3", "metadata": {**common, "dwell_time": q(2, "us")},
         "warnings": ["calibration missing"]},
    ])


def _file(record, name):
    return record.session.files.get(relative_path=name)


def test_a_file_shows_only_what_differs_from_its_activity(record, cast, client):
    client.force_login(cast.alice)
    fragment = client.get(f"/records/{record.pk}/files/{_file(record, 'a.dm3').pk}/metadata/").content.decode()
    assert "Settings of this file that differ from its activity" in fragment
    assert '<th scope="row">Dwell time</th><td>100 ms</td>' in fragment
    assert "Acceleration voltage" not in fragment  # shared by both: shown once, on the activity
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert '<th scope="row">Acceleration voltage</th><td>200 kV</td>' in page


def test_unreliable_values_carry_a_mark_with_the_reason(record, cast, client):
    client.force_login(cast.alice)
    fragment = client.get(f"/records/{record.pk}/files/{_file(record, 'a.dm3').pk}/metadata/").content.decode()
    assert 'supervisor <span class="warn-mark" role="img" aria-label="Unreliable: The account logged in' in fragment


def test_axes_and_file_facts_are_shown_apart_from_settings(record, cast, client):
    client.force_login(cast.alice)
    fragment = client.get(f"/records/{record.pk}/files/{_file(record, 'a.dm3').pk}/metadata/").content.decode()
    settings_part, file_part = fragment.split("<h3>File</h3>")
    assert "<caption>Axes</caption>" not in fragment  # both files have these axes: shown once, on the activity
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert page.count("<caption>Axes</caption>") == 1 and '<td class="num">512</td><td>2 nm</td>' in page
    assert '<th scope="row">Data type</th><td>uint16</td>' in file_part
    assert '<th scope="row">Modified</th><td>2025-03-14 09:00 UTC</td>' in file_part
    assert "Data type" not in settings_part


def test_the_file_page_has_its_preview_with_a_scale_bar_and_its_vendor_tree(record, cast, client):
    client.force_login(cast.alice)
    data_file = _file(record, "a.dm3")
    page = client.get(f"/records/{record.pk}/files/{data_file.pk}/view/").content.decode()
    assert page.count("<h1>") == 1 and "<h1>a.dm3" in page
    assert '<div class="scalebar" style="width: 19.531%"><span>200 nm</span></div>' in page
    assert f'data-url="/api/v1/records/{record.pk}/files/{data_file.pk}/original-metadata"' in page
    tree = client.get(f"/api/v1/records/{record.pk}/files/{data_file.pk}/original-metadata").json()
    assert tree == {"Microscope Info": {"Voltage": 200000, "Stage": {"Alpha": -0.0}}}


def test_a_file_of_another_record_or_an_invisible_one_is_not_found(record, cast, client):
    other = make_record(cast.titan, "charlie", cast.charlie, files=[{"name": "c.dm3"}])
    client.force_login(cast.alice)
    theirs = other.session.files.get()
    assert client.get(f"/records/{record.pk}/files/{theirs.pk}/view/").status_code == 404
    assert client.get(f"/records/{other.pk}/files/{theirs.pk}/view/").status_code == 404
    assert client.get(f"/api/v1/records/{other.pk}/files/{theirs.pk}/original-metadata").status_code == 404


def test_a_file_with_several_signals_shows_each_further_signal_with_its_preview(cast, client):
    record = make_record(cast.titan, "alice", cast.alice, files=[
        {"name": "map.bcf", "format": "Bruker BCF", "metadata": {
            "signal_type": "image", "detector": "SE", "signals": [
                {"metadata": {"title": "EDS", "signal_type": "spectrum_image", "energy_dispersion": q(10, "eV"),
                              "dimensions": [{"name": "Energy", "size": 2048, "scale": 0.01, "offset": 0,
                                              "unit": "keV", "navigate": False}]},
                 "preview": True, "warnings": [], "error": None}]}}])
    client.force_login(cast.alice)
    data_file = record.session.files.get()
    page = client.get(f"/records/{record.pk}/files/{data_file.pk}/view/").content.decode()
    assert "Signal 2 of this file: EDS" in page
    assert f'src="/records/{record.pk}/files/{data_file.pk}/preview.png?signal=1" alt="Preview of EDS"' in page
    assert '<th scope="row">Energy per channel</th><td>10 eV</td>' in page
    assert "&#x27;metadata&#x27;" not in page and "Signals" not in page  # not dumped as a setting
