"""A starting process reads the engine's snapshot, then only what changed since; a damaged one costs a full load."""
import pytest
from record_factory import make_record

from lims.search.live import forget_engines, live, snapshot_path
from lims.search.service import search

pytestmark = pytest.mark.django_db


def _answer(user, q=""):
    result = search(user, q)
    return [r.title for r in result.records], result.facets


def test_a_new_process_loads_the_snapshot_and_catches_up_with_later_changes(records, cast):
    before = _answer(cast.alice)
    assert live().source == "database" and snapshot_path().exists()
    forget_engines()
    assert _answer(cast.alice) == before
    assert live().source == "snapshot"
    make_record(cast.titan, "alice", cast.alice, title="Built after the snapshot")
    records["zeolite"].delete()
    forget_engines()
    titles, facets = _answer(cast.alice)
    assert live().source == "snapshot"
    assert titles == ["Built after the snapshot", "EELS of platinum nanoparticles", "Public demo of pollen"]
    assert ("bob", 1) not in facets["experimenter"]


def test_a_damaged_snapshot_is_ignored_and_replaced(records, cast):
    before = _answer(cast.alice, "catalysis")
    snapshot_path().write_bytes(b"not a snapshot")
    forget_engines()
    assert _answer(cast.alice, "catalysis") == before
    assert live().source == "database"
    forget_engines()
    _answer(cast.alice)
    assert live().source == "snapshot"


def test_reindex_rebuilds_every_document_and_writes_the_snapshot(records, cast):
    from django.core.management import call_command

    from lims.search.models import SearchDocument

    SearchDocument.objects.filter(record_id=records["platinum"].pk).delete()
    call_command("reindex", "--no-progress")
    assert SearchDocument.objects.filter(removed=False).count() == 4
    forget_engines()
    assert _answer(cast.alice, "platinum")[0] == ["EELS of platinum nanoparticles"]
    assert live().source == "snapshot"
