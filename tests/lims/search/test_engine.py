"""The bitmap engine on its own: replacing documents, compaction, snapshots and the sort order."""
from datetime import date

from lims.search.engine import Index
from lims.search.query import parse

TODAY = date(2026, 3, 11)


def _doc(record_id, text, start, facets=(), numbers=None, visibility="public", account=None, removed=False):
    return (record_id, removed, start, date(2025, 1, 1).toordinal() + record_id, "UTC", visibility, account,
            f" {text} ", [list(f) for f in facets], numbers or {})


def _answers(index):
    visible = index.visible(True, (), ())
    found = {}
    for q in ["", "gold", '"gold film"', '"thin gold film"', "-gold", "instrument:titan", "voltage >= 200 kV",
              "date:2025-01-02..2025-01-04", "gold OR silver"]:
        query = parse(q)
        matching = visible if query.root is None else index.evaluate(query.root, lambda zone: TODAY) & visible
        found[q] = (index.page(matching, 0, 50), index.facet_counts(matching, ["instrument"]),
                    index.bucket_counts(matching))
    return found


def _index():
    index = Index()
    index.add_many([
        _doc(1, "thin gold film | survey", 1000, [("instrument", "titan")], {"acceleration_voltage": [200000.0]}),
        _doc(2, "silver film", 2000, [("instrument", "quanta")], {"acceleration_voltage": [5000.0]}),
        _doc(3, "gold | film", 3000, [("instrument", "titan")]),
        _doc(4, "copper", 4000, [("instrument", "talos")], {"acceleration_voltage": [300000.0]}),
    ])
    return index


def test_a_phrase_never_runs_across_two_parts_of_a_record():
    index = _index()
    assert _answers(index)['"gold film"'][0] == [1]
    assert _answers(index)['"thin gold film"'][0] == [1]


def test_a_replaced_or_removed_document_leaves_every_answer():
    index = _index()
    index.add_many([_doc(1, "platinum", 1000, [("instrument", "quanta")]), _doc(4, "", 0, removed=True)])
    answers = _answers(index)
    assert answers["gold"][0] == [3]
    assert answers["instrument:titan"][1] == {"instrument": [("titan", 1)]}
    assert answers["voltage >= 200 kV"][0] == []
    assert answers[""][0] == [3, 2, 1] and index.dead_share == 1 - 3 / 5


def test_compaction_drops_dead_slots_and_changes_no_answer():
    index = _index()
    index.add_many([_doc(1, "platinum gold", 1000, [("instrument", "quanta")]), _doc(4, "", 0, removed=True),
                    _doc(2, "silver film again", 2500, [("instrument", "quanta")], {"acceleration_voltage": [250000.0]})])
    before = _answers(index)
    index.compact()
    assert index.dead_share == 0 and len(index.record_ids) == 3
    assert _answers(index) == before
    index.add_many([_doc(5, "gold", 5000, [("instrument", "titan")])])
    assert _answers(index)["gold"][0] == [5, 3, 1]


def test_a_snapshot_gives_back_the_same_engine(tmp_path):
    index = _index()
    index.add_many([_doc(2, "", 0, removed=True)])
    index.save(tmp_path / "engine.npz", epoch="e", version=7)
    loaded, meta = Index.load(tmp_path / "engine.npz", verify=lambda ids, phrase: [1])
    assert meta["epoch"] == "e" and meta["version"] == 7
    assert _answers(loaded) == _answers(index)
