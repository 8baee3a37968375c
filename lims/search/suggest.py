"""Help while typing and after an empty result: completions, close values, a looser query.

`complete` offers field names, metadata names with their units and facet values with counts for
the word being typed. `suggestions` explains an empty result: a close facet value or field for a
term that finds nothing, and the same query without its rarest term with what that finds.
"""
import difflib
import re

from lims.search.facets import FACETS, FIELD_OF
from lims.search.query import ALIASES, DATE_FIELDS, FIELDS, PARAMETERS, RELATIVE_DATES, Filter, Query, Text, parse

MAX_COMPLETIONS = 10
_LAST_WORD = re.compile(r'(?:[^\s"]+(?:"[^"]*"?)?|"[^"]*)$')


def _field(facet: str) -> str:
    return FIELD_OF.get(facet, facet)


def _quoted(value: str) -> str:
    return f'"{value}"' if re.search(r'[\s,()"]', value) else value


def _metadata_names() -> list:
    """(name, unit) for the names a comparison accepts, shortest spelling first (one-word names
    only: the word being typed is completed, and `pixel_size` stands for `pixel size`)."""
    names = sorted(ALIASES, key=lambda name: (len(name), name))
    return [(name, PARAMETERS[ALIASES[name][0]]) for name in names]


def complete(searcher, text: str) -> list:
    """Completions for the last word of `text`: [{label, insert, kind, count}], `insert` the whole new query."""
    text = text or ""
    match = _LAST_WORD.search(text)
    word = match.group(0) if match and not text.endswith(" ") else ""
    head = text[:len(text) - len(word)]
    index, visible = searcher.index, searcher.visible
    found = []
    if ":" in word:
        name, _, prefix = word.partition(":")
        prefix = prefix.strip('"').lower()
        facet = FIELDS.get(name.lower())
        if facet:
            values = [(label, visible.intersection_cardinality(slots))
                      for (f, lowered), slots in index.facets.items() if f == facet and lowered.startswith(prefix)
                      for label in [index.labels[(f, lowered)]]]
            for label, count in sorted((v for v in values if v[1]), key=lambda v: (-v[1], v[0].lower())):
                found.append({"label": label, "insert": f"{head}{name}:{_quoted(label)} ", "kind": name,
                              "count": count})
        elif name.lower() == "date":
            for span in RELATIVE_DATES:
                if span.startswith(prefix):
                    found.append({"label": span, "insert": f"{head}date:{span} ", "kind": "date", "count": None})
        return found[:MAX_COMPLETIONS]
    lowered = word.lower().strip('"')
    if not lowered:
        return []
    for name in [*FIELDS, *DATE_FIELDS]:
        if name.startswith(lowered):
            found.append({"label": f"{name}:", "insert": f"{head}{name}:", "kind": "field", "count": None})
    for name, unit in _metadata_names():
        if " " not in name and name.startswith(lowered):
            label = f"{name} ({unit})" if unit else name
            found.append({"label": label, "insert": f"{head}{name} >= ", "kind": "metadata", "count": None})
    values = []
    for (facet, value), slots in index.facets.items():
        if facet in FACETS and value.startswith(lowered):
            count = visible.intersection_cardinality(slots)
            if count:
                values.append((count, facet, index.labels[(facet, value)]))
    for count, facet, label in sorted(values, key=lambda v: (-v[0], v[2].lower())):
        found.append({"label": label, "insert": f"{head}{_field(facet)}:{_quoted(label)} ", "kind": _field(facet),
                      "count": count})
    unique = {item["insert"]: item for item in found}
    return list(unique.values())[:MAX_COMPLETIONS]


def _close_values(searcher, value: str) -> list:
    """(facet, value as written) of shown facets whose value is close to `value`, closest first."""
    index, lowered = searcher.index, value.lower()
    candidates = {}
    for (facet, stored), slots in index.facets.items():
        if facet in FACETS and searcher.visible.intersection_cardinality(slots):
            candidates.setdefault(stored, (facet, index.labels[(facet, stored)]))
    close = difflib.get_close_matches(lowered, list(candidates), n=3, cutoff=0.75)
    return [candidates[c] for c in close]


def _replacement(query: Query, part, new_part_text: str) -> str:
    rest = str(query.without(part))
    return f"{rest} {new_part_text}".strip()


def suggestions(searcher, query: Query) -> list:
    """Why a query found nothing and what would: [{message, query, count}]."""
    found = []
    parts = query.parts
    alone = {id(part): searcher.count(Query(part)) for part in parts}
    for part in parts:
        if alone[id(part)]:
            continue
        if isinstance(part, Filter):
            for value in part.values:
                for facet, close in _close_values(searcher, value):
                    new = f"{_field(facet)}:{_quoted(close)}"
                    text = _replacement(query, part, new)
                    found.append({"message": f"Did you mean {new}?", "query": text,
                                  "count": searcher.count(parse(text))})
        elif isinstance(part, Text) and len(part.tokens) == 1:
            for facet, close in _close_values(searcher, part.tokens[0]):
                new = f"{_field(facet)}:{_quoted(close)}"
                text = _replacement(query, part, new)
                found.append({"message": f"Did you mean {new}?", "query": text, "count": searcher.count(parse(text))})
    if len(parts) > 1:
        rarest = min(parts, key=lambda part: alone[id(part)])
        looser = query.without(rarest)
        found.append({"message": f"Without {rarest}", "query": str(looser), "count": searcher.count(looser)})
    unique = {item["query"]: item for item in found if item["count"]}
    return list(unique.values())[:4]
