"""Facet filters and ranges combined with words: checked on each matching record's own copies."""
import pytest
from record_factory import make_record, quantity

from lims.search.service import search

pytestmark = pytest.mark.django_db


def _titles(user, q):
    return [r.title for r in search(user, q).records]


@pytest.fixture
def scans(cast):
    make_record(cast.titan, "alice", cast.alice, title="Lamella scan on Titan", project="Big Project",
                files=[{"name": "area/lamella_01.DM3", "format": "DigitalMicrograph 3",
                        "metadata": {"acceleration_voltage": quantity(300, "kV")}}])
    make_record(cast.quanta, "alice", cast.alice, title="Lamella scan on Quanta",
                files=[{"name": "area/lamella_02.tif", "format": "FEI TIFF",
                        "metadata": {"acceleration_voltage": quantity(5, "kV")}}])


def test_a_filter_after_a_word_ignores_the_case_of_the_value(scans, cast):
    assert _titles(cast.alice, "lamella instrument:TITAN") == ["Lamella scan on Titan"]
    assert _titles(cast.alice, 'lamella project:"big project"') == ["Lamella scan on Titan"]


def test_a_format_filter_after_a_word_also_matches_the_file_extension(scans, cast):
    assert _titles(cast.alice, "lamella format:dm3") == ["Lamella scan on Titan"]
    assert _titles(cast.alice, 'lamella format:"fei tiff"') == ["Lamella scan on Quanta"]


def test_a_filter_after_a_word_counts_other_facets_of_the_narrowed_records_only(scans, cast):
    result = search(cast.alice, "lamella instrument:quanta")
    assert result.total == 1
    assert result.facets["format"] == [("FEI TIFF", 1)]
    # The filtered facet itself is counted without its filter: what picking another value would add.
    assert result.facets["instrument"] == [("quanta", 1), ("titan", 1)]


def test_a_filter_and_a_range_after_a_word_must_both_hold(scans, cast):
    assert _titles(cast.alice, "lamella instrument:titan voltage >= 200 kV") == ["Lamella scan on Titan"]
    assert _titles(cast.alice, "lamella instrument:titan voltage < 10 kV") == []
    assert _titles(cast.alice, "lamella voltage < 10 kV") == ["Lamella scan on Quanta"]


def test_a_value_that_only_starts_like_a_stored_one_matches_nothing(scans, cast):
    assert _titles(cast.alice, "lamella instrument:tit") == []
    assert _titles(cast.alice, "lamella format:dm") == []
