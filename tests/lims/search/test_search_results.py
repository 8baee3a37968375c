"""Searching records on PostgreSQL: words, phrases, filters, unit ranges, facets, sorting, pages."""
import pytest
from record_factory import EXPECTED_FOR_ALICE, make_record, quantity

from lims.search.index import index_record
from lims.search.models import SearchCounter, SearchDocument
from lims.search.query import QueryError
from lims.search.service import search

pytestmark = pytest.mark.django_db


def _titles(user, q, **kwargs):
    return [r.title for r in search(user, q, **kwargs).records]


@pytest.mark.parametrize("q", list(EXPECTED_FOR_ALICE))
def test_it_finds_what_alice_expects(records, cast, q):
    assert _titles(cast.alice, q) == EXPECTED_FOR_ALICE[q]


def test_it_finds_charlies_private_record_for_charlie_and_staff_only(records, cast):
    assert _titles(cast.charlie, "voltage >= 250 kV") == ["Cathode diffraction study"]
    assert _titles(cast.staff, "voltage >= 200 kV") == ["Cathode diffraction study", "EELS of platinum nanoparticles"]
    assert _titles(cast.alice, "voltage >= 250 kV") == []
    assert _titles(None, "") == ["Public demo of pollen"]


def test_it_counts_facets_only_over_visible_records(records, cast):
    facets = search(cast.alice, "").facets
    assert facets["instrument"] == [("quanta", 2), ("titan", 1)]
    assert sorted(facets["experimenter"]) == [("alice", 1), ("bob", 1), ("dave", 1)]
    assert facets["project"] == [("catalysis", 2)]
    assert facets["year"] == [("2025", 1), ("2024", 1), ("2023", 1)]
    assert ("dm4", 1) not in facets["format"]
    assert sorted(facets["mode"]) == [("imaging", 3), ("spectroscopy", 1)]


def test_it_counts_facets_of_the_matching_records_only(records, cast):
    result = search(cast.staff, "project:catalysis")
    assert result.total == 2
    assert result.facets["instrument"] == [("quanta", 1), ("titan", 1)]
    assert sorted(result.facets["format"]) == [("dm3", 1), ("msa", 1), ("tiff_fei", 1)]


def test_it_sorts_oldest_first_on_request(records, cast):
    assert _titles(cast.alice, "", sort="oldest") == list(reversed(EXPECTED_FOR_ALICE[""]))


def test_it_ranks_records_with_the_words_in_their_title_first_by_relevance(records, cast):
    make_record(cast.titan, "alice", cast.alice, title="Newer survey", notes="platinum again",
                start=records["platinum"].session.start.replace(year=2026))
    assert _titles(cast.alice, "platinum")[0] == "Newer survey"
    assert _titles(cast.alice, "platinum", sort="relevance") == ["EELS of platinum nanoparticles", "Newer survey"]


def test_it_pages_through_results_with_a_stable_total(records, cast):
    first = search(cast.alice, "", page=1, page_size=2)
    second = search(cast.alice, "", page=2, page_size=2)
    assert (first.total, second.total, first.pages) == (3, 3, 2)
    assert [r.title for r in first.records + second.records] == EXPECTED_FOR_ALICE[""]


def test_it_rejects_a_bad_query_with_a_message(records, cast):
    with pytest.raises(QueryError, match="Unknown field 'colour'"):
        search(cast.alice, "colour:red")


def test_reindexing_replaces_the_document_instead_of_adding(records, cast):
    record = records["platinum"]
    before = SearchDocument.objects.get(record_id=record.pk)
    index_record(record)
    index_record(record)
    after = SearchDocument.objects.get(record_id=record.pk)
    assert SearchDocument.objects.filter(record_id=record.pk).count() == 1
    assert after.version > before.version and after.version == SearchCounter.objects.get().value
    # 200 kV from the dm3 and 200000 V from the msa are one value in volts.
    assert after.numbers["acceleration_voltage"] == [200000.0]
    assert _titles(cast.alice, "platinum") == ["EELS of platinum nanoparticles"]


def test_reindexing_picks_up_changed_metadata(records, cast):
    record = records["zeolite"]
    data_file = record.session.files.get()
    data_file.metadata = {"acceleration_voltage": quantity(30, "kV")}
    data_file.save()
    assert _titles(cast.alice, "voltage >= 20 kV") == ["EELS of platinum nanoparticles"]
    index_record(record)
    assert _titles(cast.alice, "voltage >= 20 kV") == ["EELS of platinum nanoparticles", "SEM of zeolite crystals"]


def test_a_format_filter_also_matches_the_file_extension(cast):
    make_record(cast.titan, "alice", cast.alice, title="Named format",
                files=[{"name": "a/b/scan.DM3", "format": "DigitalMicrograph 3"}])
    assert _titles(cast.alice, "format:dm3") == ["Named format"]
    assert _titles(cast.alice, 'format:"digitalmicrograph 3"') == ["Named format"]
    assert search(cast.alice, "").facets["format"] == [("DigitalMicrograph 3", 1)]
