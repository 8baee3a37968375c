"""The in-memory search engine: compressed bitmaps of record slots for words, facets and access.

Every document gets a slot (a small integer). Words, word pairs, facet values, visibility
classes, accounts, time zones and numeric buckets each keep a roaring bitmap of the slots that
have them; numbers and days are numpy columns. A search is set algebra on these bitmaps, a facet
count is the size of an intersection, and a page is the top of the matching slots by date: all in
a few milliseconds at a million records, exact, and with no work proportional to the table size
in the database.

Slots are append-only: a changed document gets a new slot and its old one leaves `alive`, so an
update never has to know what the old document contained. `Index` knows nothing of Django; the
database side (loading and catching up) is `lims.search.live`.
"""
import json
import math
import os
from array import array
from bisect import bisect_right
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from pyroaring import BitMap

from lims.search.facets import NUMERIC_FACETS
from lims.search.query import FILTER_FACETS, And, Dates, Filter, Not, Or, Range, Text

SEPARATOR = "|"
# Order keys pack the start (seconds since 2000) above the record id: unique, and one int64 compare.
EPOCH = int(datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())
ID_BITS = 32
BITMAP_MAPS = ("terms", "titles", "facets", "visibility", "accounts", "zones", "buckets")
TUPLE_KEYS = ("facets", "buckets")
MERGE_EVERY = 20_000  # documents whose slots are collected in lists before they go into the bitmaps


# Per numeric facet: its buckets' lower and upper ends (adjacent, lower ends rising), for bisect.
_BUCKET_EDGES = [(facet, [-math.inf if b.low is None else b.low for b in facet.buckets],
                  [math.inf if b.high is None else b.high for b in facet.buckets]) for facet in NUMERIC_FACETS]


def _bitmap(values) -> BitMap:
    if isinstance(values, np.ndarray):
        return BitMap(array("I", values.astype(np.uint32, copy=False).tobytes()))
    return BitMap(array("I", values))


def order_key(start_seconds: int | None, record_id: int) -> int:
    """The sort key of a record that started `start_seconds` after 1970 (UTC)."""
    seconds = int(start_seconds) - EPOCH if start_seconds is not None else 0
    return (seconds << ID_BITS) | (record_id & ((1 << ID_BITS) - 1))


class _Pending:
    """Slots collected per key while a batch of documents is added, turned into bitmaps at the end."""

    def __init__(self):
        self.lists = {}

    def add(self, key, slot: int) -> None:
        found = self.lists.get(key)
        if found is None:
            self.lists[key] = [slot]
        else:
            found.append(slot)

    def merge_into(self, bitmaps: dict) -> None:
        for key, slots in self.lists.items():
            bitmap = bitmaps.get(key)
            if bitmap is None:
                bitmaps[key] = _bitmap(slots)
            else:
                bitmap.update(array("I", slots))


class Index:
    """Documents as bitmaps. `verify(record_ids, phrase)` returns the ids whose text holds a phrase
    of three or more words (word pairs narrow the candidates first); without it, texts are kept."""

    def __init__(self, verify=None):
        self.verify = verify
        self.texts = {} if verify is None else None
        self.slot_by_id = np.full(1024, -1, dtype=np.int32)  # record id -> current slot, -1 for none
        self.record_ids = array("q")
        self.order = array("q")
        self.days = array("i")
        self.alive = BitMap()
        self.terms = {}  # "word" and "word next" -> slots
        self.titles = {}  # title word -> slots (for relevance)
        self.facets = {}  # (facet, lowercase value) -> slots
        self.labels = {}  # (facet, lowercase value) -> value as written
        self.visibility = {}
        self.accounts = {}
        self.zones = {}
        self.buckets = {}  # (numeric facet, bucket position) -> slots
        self.numbers = {}  # key -> (values array("d"), slots array("I"))

    def __len__(self):
        return len(self.alive)

    # -- building -------------------------------------------------------------------------------

    def remove(self, record_id: int) -> None:
        slot = int(self.slot_by_id[record_id]) if record_id < len(self.slot_by_id) else -1
        if slot >= 0:
            self.slot_by_id[record_id] = -1
            self.alive.discard(slot)
            if self.texts is not None:
                self.texts.pop(slot, None)

    def _place(self, record_id: int, slot: int) -> None:
        if record_id >= len(self.slot_by_id):
            grown = np.full(max(record_id + 1, 2 * len(self.slot_by_id)), -1, dtype=np.int32)
            grown[:len(self.slot_by_id)] = self.slot_by_id
            self.slot_by_id = grown
        self.slot_by_id[record_id] = slot

    def add_many(self, documents) -> int:
        """Add (or replace) documents given as tuples: (record_id, removed, start in seconds since 1970,
        day, timezone, visibility, account_id, text, facets, numbers). Returns how many were read."""
        count, batch = 0, []
        for document in documents:
            batch.append(document)
            if len(batch) == MERGE_EVERY:
                count += self._add_batch(batch)
                batch = []
        return count + self._add_batch(batch)

    def _add_batch(self, documents: list) -> int:
        """Collect a batch's slots per key in lists, then merge them into the bitmaps at once (bounded memory)."""
        terms, titles, facets, visibility, accounts, zones, buckets = (_Pending() for _ in range(7))
        new_slots, count = [], 0
        for record_id, removed, start, day, zone, seen_by, account_id, text, facet_pairs, numbers in documents:
            count += 1
            self.remove(record_id)
            if removed:
                continue
            slot = len(self.record_ids)
            self._place(record_id, slot)
            self.record_ids.append(record_id)
            self.order.append(order_key(start, record_id))
            self.days.append(day)
            new_slots.append(slot)
            if self.texts is not None:
                self.texts[slot] = text
            self._add_text(slot, text, terms, titles)
            for facet, value in facet_pairs:
                key = (facet, value.lower())
                facets.add(key, slot)
                self.labels.setdefault(key, value)
            visibility.add(seen_by, slot)
            if account_id is not None:
                accounts.add(account_id, slot)
            zones.add(zone, slot)
            self._add_numbers(slot, numbers or {}, buckets)
        for pending, bitmaps in ((terms, self.terms), (titles, self.titles), (facets, self.facets),
                                 (visibility, self.visibility), (accounts, self.accounts), (zones, self.zones),
                                 (buckets, self.buckets)):
            pending.merge_into(bitmaps)
        self.alive.update(array("I", new_slots))
        return count

    @staticmethod
    def _add_text(slot: int, text: str, terms: _Pending, titles: _Pending) -> None:
        seen = set()
        for position, part in enumerate(text.split(SEPARATOR)):
            words = part.split()
            if position == 0:
                for word in set(words):
                    titles.add(word, slot)
            seen.update(words)
            seen.update(f"{a} {b}" for a, b in zip(words, words[1:]))
        for term in seen:
            terms.add(term, slot)

    def _add_numbers(self, slot: int, numbers: dict, buckets: _Pending) -> None:
        for key, values in numbers.items():
            column = self.numbers.get(key)
            if column is None:
                column = self.numbers[key] = (array("d"), array("I"))
            column[0].extend(values)
            column[1].extend([slot] * len(values))
        for facet, lows, highs in _BUCKET_EDGES:
            positions = set()
            for key in facet.keys:
                for value in numbers.get(key, ()):
                    position = bisect_right(lows, value) - 1
                    if position >= 0 and value <= highs[position]:
                        positions.add(position)
            for position in positions:
                buckets.add((facet.name, position), slot)

    # -- evaluating -----------------------------------------------------------------------------

    def visible(self, everything: bool, visibilities, accounts) -> BitMap:
        """Live slots a reader may see: everything, or records of these visibility classes or accounts."""
        if everything:
            return self.alive.copy()
        parts = [self.visibility[v] for v in visibilities if v in self.visibility]
        parts += [self.accounts[a] for a in accounts if a in self.accounts]
        return BitMap.union(*parts) & self.alive if parts else BitMap()

    def evaluate(self, node, today_in) -> BitMap:
        """Slots matching a query node (live or not: intersect with `visible`). `today_in(zone)` is a date."""
        if isinstance(node, Text):
            return self._text(node.tokens)
        if isinstance(node, Filter):
            facets = FILTER_FACETS.get(node.facet, (node.facet,))
            found = [self.facets[(f, v.lower())] for f in facets for v in node.values if (f, v.lower()) in self.facets]
            return BitMap.union(*found) if found else BitMap()
        if isinstance(node, Range):
            return self._range(node.keys, node.low, node.high)
        if isinstance(node, Dates):
            return self._dates(node, today_in)
        if isinstance(node, Not):
            return self.alive - self.evaluate(node.child, today_in)
        if isinstance(node, And):
            parts = sorted((self.evaluate(child, today_in) for child in node.children), key=len)
            return BitMap.intersection(*parts)
        if isinstance(node, Or):
            return BitMap.union(*(self.evaluate(child, today_in) for child in node.children))
        raise TypeError(f"unknown query node {node!r}")

    def _text(self, tokens: tuple) -> BitMap:
        if len(tokens) == 1:
            return self.terms.get(tokens[0], BitMap()).copy()
        pairs = [self.terms.get(f"{a} {b}") for a, b in zip(tokens, tokens[1:])]
        if any(p is None for p in pairs):
            return BitMap()
        candidates = BitMap.intersection(*sorted(pairs, key=len)) & self.alive
        if len(tokens) == 2 or not candidates:
            return candidates
        phrase = " ".join(tokens)
        ids = [self.record_ids[slot] for slot in candidates]
        if self.texts is not None:
            holding = {self.record_ids[s] for s in candidates if f" {phrase} " in f" {self.texts[s]} "}
        else:
            holding = set(self.verify(ids, phrase))
        return _bitmap([s for s in candidates if self.record_ids[s] in holding])

    def _range(self, keys: tuple, low, high) -> BitMap:
        found = []
        for key in keys:
            column = self.numbers.get(key)
            if column is None:
                continue
            values = np.frombuffer(column[0], dtype=np.float64)
            if low is not None and high is not None:
                mask = (values >= low) & (values <= high)
            elif low is not None:
                mask = values >= low
            else:
                mask = values <= high if high is not None else np.ones(len(values), dtype=bool)
            # compress() is several times faster than indexing with the boolean mask here.
            found.append(_bitmap(np.compress(mask, np.frombuffer(column[1], dtype=np.uint32))))
        return BitMap.union(*found) if found else BitMap()

    def _days_between(self, first, last) -> BitMap:
        days = np.frombuffer(self.days, dtype=np.int32)
        mask = np.ones(len(days), dtype=bool)
        if first is not None:
            mask &= days >= first.toordinal()
        if last is not None:
            mask &= days <= last.toordinal()
        return _bitmap(np.flatnonzero(mask))

    def _dates(self, node: Dates, today_in) -> BitMap:
        if not node.relative:
            return self._days_between(node.first, node.last)
        found = [self._days_between(*node.span(today_in(zone))) & slots for zone, slots in self.zones.items()]
        return BitMap.union(*found) if found else BitMap()

    # -- answering ------------------------------------------------------------------------------

    def facet_counts(self, matching: BitMap, names) -> dict:
        """{facet: [(value as written, count), ...]} over `matching`, only values that occur."""
        counts = {name: [] for name in names}
        for (facet, lowered), slots in self.facets.items():
            if facet in counts:
                n = matching.intersection_cardinality(slots)
                if n:
                    counts[facet].append((self.labels[(facet, lowered)], n))
        return counts

    def bucket_counts(self, matching: BitMap) -> dict:
        """{numeric facet: [count per bucket]} over `matching`."""
        return {facet.name: [matching.intersection_cardinality(self.buckets.get((facet.name, i), BitMap()))
                             for i in range(len(facet.buckets))] for facet in NUMERIC_FACETS}

    def page(self, matching: BitMap, offset: int, limit: int, sort: str = "date", words=()) -> list:
        """Record ids of one page of `matching`: newest first, oldest first, or by relevance (title words)."""
        if offset >= len(matching) or limit <= 0:
            return []
        slots = np.frombuffer(matching.to_array(), dtype=np.uint32)
        keys = np.frombuffer(self.order, dtype=np.int64)[slots]
        if sort == "relevance" and words:
            score = np.zeros(len(slots), dtype=np.int64)
            for word in words:
                hits = matching & self.titles.get(word, BitMap())
                score[np.searchsorted(slots, np.frombuffer(hits.to_array(), dtype=np.uint32))] += 1
            chosen = np.lexsort((-keys, -score))[offset:offset + limit]
        else:
            direction = keys if sort == "oldest" else -keys
            end = min(offset + limit, len(keys))
            nearest = np.argpartition(direction, end - 1)[:end] if end < len(keys) else np.arange(len(keys))
            chosen = nearest[np.argsort(direction[nearest])][offset:end]
        record_ids = np.frombuffer(self.record_ids, dtype=np.int64)
        return [int(i) for i in record_ids[slots[chosen]]]

    # -- compaction -----------------------------------------------------------------------------

    @property
    def dead_share(self) -> float:
        """The share of slots that belong to replaced or removed documents."""
        return 1 - len(self.alive) / len(self.record_ids) if len(self.record_ids) else 0.0

    def compact(self) -> None:
        """Renumber the live slots 0..n-1 and drop every trace of the dead ones (order is kept)."""
        live = np.frombuffer(self.alive.to_array(), dtype=np.uint32).astype(np.int64)
        new_of = np.full(len(self.record_ids), -1, dtype=np.int64)
        new_of[live] = np.arange(len(live))
        for name, code, dtype in (("record_ids", "q", np.int64), ("order", "q", np.int64), ("days", "i", np.int32)):
            kept = array(code)
            kept.frombytes(np.frombuffer(getattr(self, name), dtype=dtype)[live].tobytes())
            setattr(self, name, kept)
        placed = self.slot_by_id >= 0
        self.slot_by_id[placed] = new_of[self.slot_by_id[placed]]
        for name in BITMAP_MAPS:
            mapping = getattr(self, name)
            for key in list(mapping):
                members = np.frombuffer((mapping[key] & self.alive).to_array(), dtype=np.uint32)
                if len(members):
                    mapping[key] = _bitmap(new_of[members])
                else:
                    del mapping[key]
                    self.labels.pop(key, None)
        for key, (values, slots) in list(self.numbers.items()):
            slot_array = np.frombuffer(slots, dtype=np.uint32)
            keep = new_of[slot_array] >= 0
            kept_values, kept_slots = array("d"), array("I")
            kept_values.frombytes(np.frombuffer(values, dtype=np.float64)[keep].tobytes())
            kept_slots.frombytes(new_of[slot_array[keep]].astype(np.uint32).tobytes())
            self.numbers[key] = (kept_values, kept_slots)
        if self.texts is not None:
            self.texts = {int(new_of[slot]): text for slot, text in self.texts.items() if new_of[slot] >= 0}
        self.alive = BitMap(range(len(live)))

    # -- snapshots ------------------------------------------------------------------------------

    def save(self, path: Path, **meta) -> None:
        """Write the whole engine to `path` (numpy arrays, no pickle), atomically; `meta` is kept with it."""
        arrays = {"record_ids": np.frombuffer(self.record_ids, dtype=np.int64),
                  "order": np.frombuffer(self.order, dtype=np.int64), "days": np.frombuffer(self.days, dtype=np.int32),
                  "slot_by_id": self.slot_by_id, "alive": np.frombuffer(self.alive.serialize(), dtype=np.uint8)}
        keys = {}
        for name in BITMAP_MAPS:
            mapping = getattr(self, name)
            keys[name] = list(mapping)
            blobs = [mapping[key].serialize() for key in keys[name]]
            arrays[f"{name}.offsets"] = np.cumsum([0] + [len(blob) for blob in blobs], dtype=np.int64)
            arrays[f"{name}.blob"] = np.frombuffer(b"".join(blobs), dtype=np.uint8)
        for position, (values, slots) in enumerate(self.numbers.values()):
            arrays[f"numbers.{position}.values"] = np.frombuffer(values, dtype=np.float64)
            arrays[f"numbers.{position}.slots"] = np.frombuffer(slots, dtype=np.uint32)
        meta = {**meta, "keys": keys, "numbers": list(self.numbers),
                "labels": [[facet, lowered, label] for (facet, lowered), label in self.labels.items()]}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        with open(partial, "wb") as out:
            np.savez(out, **arrays)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path, verify=None) -> tuple["Index", dict]:
        """An engine read back from `save`, and the meta saved with it."""
        index = cls(verify=verify)
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes())
            for name, code in (("record_ids", "q"), ("order", "q"), ("days", "i")):
                column = array(code)
                column.frombytes(data[name].tobytes())
                setattr(index, name, column)
            index.slot_by_id = data["slot_by_id"].copy()
            index.alive = BitMap.deserialize(data["alive"].tobytes())
            for name in BITMAP_MAPS:
                offsets, blob = data[f"{name}.offsets"], data[f"{name}.blob"].tobytes()
                keys = [tuple(k) for k in meta["keys"][name]] if name in TUPLE_KEYS else meta["keys"][name]
                setattr(index, name, {key: BitMap.deserialize(blob[offsets[i]:offsets[i + 1]])
                                      for i, key in enumerate(keys)})
            for position, key in enumerate(meta["numbers"]):
                values, slots = array("d"), array("I")
                values.frombytes(data[f"numbers.{position}.values"].tobytes())
                slots.frombytes(data[f"numbers.{position}.slots"].tobytes())
                index.numbers[key] = (values, slots)
        index.labels = {(facet, lowered): label for facet, lowered, label in meta.pop("labels")}
        return index, meta

    def record_id(self, slot: int) -> int:
        return self.record_ids[slot]

    def values_of(self, facet: str) -> dict:
        """{lowercase value: value as written} of one facet (for suggestions)."""
        return {lowered: self.labels[(name, lowered)] for name, lowered in self.facets if name == facet}
