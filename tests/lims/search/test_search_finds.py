"""What search finds: file names and phrases, NOT and OR, instruments by name, dates in the
instrument's zone, equality within precision; and `matches` agreeing with search on every query."""
from datetime import datetime, timezone

import pytest
from record_factory import make_record, quantity

from lims.search.matching import matches
from lims.search.query import QueryError
from lims.search.service import search

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 11, 12, 0, tzinfo=timezone.utc)


def _titles(user, q, **kwargs):
    return [r.title for r in search(user, q, now=NOW, **kwargs).records]


@pytest.fixture
def stem(cast):
    """A record whose files share words: a phrase's words appear earlier in the record than the phrase."""
    cast.titan.name = "Inst 8"
    cast.titan.save()
    return make_record(
        cast.titan, "alice", cast.alice, title="Test images of STEM", sample="build-8",
        files=[{"name": "digitalmicrograph_test.dm3", "format": "dm3"},
               {"name": "STEM/test_image.dm3", "format": "dm3"},
               {"name": "data/digitalmicrograph_2D_test_STEM_image.dm3", "format": "dm3",
                "metadata": {"acceleration_voltage": quantity(300, "kV")}}])


@pytest.mark.parametrize("q", [
    "digitalmicrograph_2D_test_STEM_image.dm3",
    "test_STEM_image",
    '"2D test STEM"',
    "data/digitalmicrograph_2D_test_STEM_image.dm3",
    "build-8",
    '"inst 8"',
    "STEM/test_image.dm3",
])
def test_a_file_name_any_part_of_it_or_a_phrase_in_the_record_finds_it(stem, cast, q):
    assert _titles(cast.alice, q) == ["Test images of STEM"]


@pytest.mark.parametrize("q", ["test_image_STEM", '"image test stem"', "build-9", '"8 inst"'])
def test_the_same_words_in_another_order_find_nothing(stem, cast, q):
    assert _titles(cast.alice, q) == []


def test_the_further_signals_of_a_file_are_searched_too(cast):
    make_record(cast.titan, "alice", cast.alice, title="Velox file", files=[
        {"name": "scan.emd", "metadata": {"acceleration_voltage": quantity(300, "kV"), "signals": [
            {"metadata": {"detector": "SuperX EDS", "exposure_time": quantity(20, "ms")}, "preview": False}]}}])
    assert _titles(cast.alice, "superx") == ["Velox file"]
    assert _titles(cast.alice, "exposure 20 ms") == ["Velox file"]
    assert _titles(cast.alice, "exposure > 1 s") == []


def test_negation_leaves_records_out(records, cast):
    assert _titles(cast.alice, "-platinum") == ["SEM of zeolite crystals", "Public demo of pollen"]
    assert _titles(cast.alice, "NOT instrument:titan") == ["SEM of zeolite crystals", "Public demo of pollen"]
    assert _titles(cast.alice, "catalysis -format:dm3") == ["SEM of zeolite crystals"]
    assert _titles(cast.alice, "NOT voltage >= 100 kV") == ["SEM of zeolite crystals", "Public demo of pollen"]


def test_or_takes_either_side_and_parentheses_group(records, cast):
    assert _titles(cast.alice, "platinum OR pollen") == ["EELS of platinum nanoparticles", "Public demo of pollen"]
    assert _titles(cast.alice, "(platinum OR zeolite) instrument:quanta") == ["SEM of zeolite crystals"]
    assert _titles(cast.alice, "user:alice,bob") == ["EELS of platinum nanoparticles", "SEM of zeolite crystals"]


def test_negation_never_shows_what_the_reader_may_not_see(records, cast):
    assert "Cathode diffraction study" not in _titles(cast.alice, "-platinum")
    assert search(cast.alice, "NOT user:alice").total == 2


def test_an_instrument_is_found_by_its_name_as_well_as_its_pid_in_any_case(records, cast):
    assert _titles(cast.alice, 'instrument:"fei titan"') == ["EELS of platinum nanoparticles"]
    assert _titles(cast.alice, "instrument:QUANTA") == ["SEM of zeolite crystals", "Public demo of pollen"]


def test_a_renamed_instrument_is_found_by_its_new_name_at_once(records, cast):
    cast.titan.name = "Spectra 300"
    cast.titan.save()
    assert _titles(cast.alice, "instrument:spectra 300") == []  # two terms: instrument:spectra and 300
    assert _titles(cast.alice, 'instrument:"Spectra 300"') == ["EELS of platinum nanoparticles"]
    assert _titles(cast.alice, 'instrument:"FEI Titan"') == []
    assert matches('instrument:"spectra 300"', records["platinum"])


def test_a_bare_value_means_equal_within_its_precision(records, cast):
    assert _titles(cast.staff, "voltage 300 kV") == ["Cathode diffraction study"]
    assert _titles(cast.staff, "voltage 300.4 kV") == []
    assert _titles(cast.staff, "voltage 200 kV") == ["EELS of platinum nanoparticles"]


def test_dates_are_days_in_the_instruments_time_zone(cast):
    now = datetime(2026, 3, 11, 5, 0, tzinfo=timezone.utc)  # 18:00 in Auckland

    def _titles(user, q):
        return [r.title for r in search(user, q, now=now).records]

    cast.quanta.timezone = "Pacific/Auckland"  # UTC+13 in March
    cast.quanta.save()
    make_record(cast.quanta, "alice", cast.alice, title="Late in the evening UTC",
                start=datetime(2026, 3, 10, 20, 0, tzinfo=timezone.utc))
    make_record(cast.titan, "alice", cast.alice, title="Titan in UTC",
                start=datetime(2026, 3, 10, 20, 0, tzinfo=timezone.utc))
    assert _titles(cast.alice, "date:2026-03-11") == ["Late in the evening UTC"]
    assert _titles(cast.alice, "date:2026-03-10") == ["Titan in UTC"]
    assert _titles(cast.alice, "date:today") == ["Late in the evening UTC"]
    assert _titles(cast.alice, "date:yesterday") == ["Titan in UTC"]
    assert sorted(_titles(cast.alice, "date:last-7-days")) == ["Late in the evening UTC", "Titan in UTC"]
    assert _titles(cast.alice, "after:2026-03-10") == ["Late in the evening UTC"]
    assert _titles(cast.alice, "before:2026-03-11") == ["Titan in UTC"]
    assert _titles(cast.alice, "date:last-month") == []
    assert search(cast.alice, "", now=NOW).facets["month"] == [("2026-03", 2)]


def test_an_empty_result_suggests_a_close_value_and_a_looser_query(records, cast):
    result = search(cast.alice, "instrument:titn")
    assert result.total == 0
    assert {"message": "Did you mean instrument:titan?", "query": "instrument:titan", "count": 1} in result.suggestions
    looser = search(cast.alice, "catalysis platinum zeolite").suggestions
    assert {"message": "Without platinum", "query": "catalysis zeolite", "count": 1} in looser


def test_a_mistyped_word_that_is_close_to_a_facet_value_is_suggested_as_that_filter(records, cast):
    suggestions = search(cast.alice, "qaunta").suggestions
    assert suggestions[0]["query"] == "instrument:quanta" and suggestions[0]["count"] == 2


def test_a_deleted_record_leaves_search_and_its_counts(records, cast):
    records["zeolite"].delete()
    result = search(cast.alice, "")
    assert result.total == 2 and ("bob", 1) not in result.facets["experimenter"]


QUERIES = ["", "platinum", '"platinum nanoparticles"', "survey_001", "-platinum", "voltage >= 200 kV",
           "voltage 5 kV", "pixel size < 1 nm", "instrument:quanta", 'instrument:"fei titan"', "format:dm3,png",
           "catalysis OR pollen", "NOT (mode:imaging)", "date:2025-03", "before:2024", "magnification 1k..10k",
           "year:2025 -user:alice", "dm4 OR msa"]


@pytest.mark.parametrize("q", QUERIES)
def test_matches_agrees_with_what_staff_finds(records, cast, q):
    found = {r.pk for r in search(cast.staff, q, page_size=50, now=NOW).records}
    assert {pk for pk, record in ((r.pk, r) for r in records.values()) if matches(q, record, now=NOW)} == found


def test_matches_refuses_a_bad_query(records):
    with pytest.raises(QueryError):
        matches("voltage >= 1 nm", records["platinum"])
