"""Writes the XML record of an experiment (schema lims-record-1.0.xsd, version 1.2), streamed with lxml."""
import io
import json
import math
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from lxml import etree

from records.model import Activity, Dataset, Experiment
from records.vocabulary import SIGNAL_TYPES, term_iri, unit_iri

SCHEMA_VERSION = "1.2"
NAMESPACE = "urn:lims:record:1.0"
SCHEMA_FILE = "lims-record-1.0.xsd"

_NOT_XML_CHARS = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INDENT = "  "  # one level of the pretty-printed record


def xml_safe(value: str) -> str:
    """`value` with the characters XML 1.0 cannot carry (NUL, most C0 controls) replaced by U+FFFD."""
    # Escaping of <, & and quotes is lxml's job; this only removes what no escaping can represent.
    return _NOT_XML_CHARS.sub("\ufffd", value)


def _child(parent: etree._Element | None, tag: str, text: str) -> etree._Element:
    """A new element `tag` holding `text` (under `parent` when given)."""
    element = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    try:
        element.text = text
    except ValueError:
        element.text = xml_safe(text)
    return element


def _optional(parent: etree._Element, tag: str, text: str) -> None:
    if text:
        _child(parent, tag, text)


def _number(value: float | int) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
    return repr(value)


def _typed(value) -> tuple[str, str] | None:
    """(text, type) of a plain value, or None for a value that says nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("true" if value else "false"), "bool"
    if isinstance(value, (int, float)):
        return _number(value), "number"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), default=str, ensure_ascii=False), "list"
    if isinstance(value, datetime):
        return value.isoformat(), "string"
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):  # numpy scalars and arrays
        return _typed(value.tolist())
    return str(value), "string"


def parameters(metadata: dict, prefix: str = "") -> Iterator[tuple[str, str, str, str]]:
    """(name, text, type, unit) for each value of `metadata`, sorted; nested dicts get dotted names.

    A quantity {"value": 300, "unit": "kV"} gives ("acceleration_voltage", "300", "number", "kV").
    """
    for key in sorted(metadata, key=str):
        value = metadata[key]
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if "value" in value and "unit" in value:
                typed = _typed(value["value"])
                if typed is not None:
                    yield name, typed[0], typed[1], str(value["unit"] or "")
            else:
                yield from parameters(value, f"{name}.")
            continue
        typed = _typed(value)
        if typed is not None:
            yield name, typed[0], typed[1], ""


def _params(parent: etree._Element | None, tag: str, metadata: dict) -> etree._Element:
    container = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    sub_element = etree.SubElement
    for name, text, kind, unit in parameters(metadata):
        attributes = {"name": name, "type": kind, "unit": unit} if unit else {"name": name, "type": kind}
        term, unit_term = term_iri(name), unit_iri(unit)
        if term:
            attributes["term"] = term
        if unit_term:
            attributes["unitIri"] = unit_term
        try:
            element = sub_element(container, "param", attributes)
        except ValueError:  # a character XML cannot carry, in the name or unit; nothing was added
            element = sub_element(container, "param", {key: xml_safe(value) for key, value in attributes.items()})
        try:
            element.text = text
        except ValueError:
            element.text = xml_safe(text)
    return container


def _own(dataset: Dataset, setup: dict) -> dict:
    """The parameters of a dataset its activity's setup does not state. The setup was found over the
    files' main signals; a further signal of a file keeps a key whose value differs from it."""
    if dataset.signal == 0:
        return {key: value for key, value in dataset.metadata.items() if key not in setup}
    return {key: value for key, value in dataset.metadata.items() if key not in setup or setup[key] != value}


def _dataset(dataset: Dataset, setup: dict) -> etree._Element:
    element = etree.Element("dataset")
    _child(element, "name", dataset.name)
    _child(element, "location", dataset.location)
    _child(element, "format", dataset.format)
    _child(element, "size", str(dataset.size))
    _optional(element, "sha256", dataset.sha256)
    _child(element, "signalType", dataset.signal_type if dataset.signal_type in SIGNAL_TYPES else "other")
    if dataset.signal_count > 1:
        signal = _child(element, "signal", str(dataset.metadata.get("title") or ""))
        signal.set("index", str(dataset.signal))
        signal.set("count", str(dataset.signal_count))
    if dataset.acquired is not None:
        _child(element, "acquired", dataset.acquired.isoformat())
    _optional(element, "preview", dataset.preview)
    _optional(element, "url", dataset.url)
    _optional(element, "description", dataset.description)
    _params(element, "metadata", _own(dataset, setup))
    for warning in dataset.warnings:
        _child(element, "warning", str(warning))
    _optional(element, "error", dataset.error)
    return element


def _summary(experiment: Experiment) -> etree._Element:
    summary = etree.Element("summary")
    _child(summary, "experimenter", experiment.experimenter)
    instrument = etree.SubElement(summary, "instrument", pid=xml_safe(experiment.instrument_pid))
    _child(instrument, "name", experiment.instrument_name)
    _optional(instrument, "location", experiment.instrument_location)
    _child(summary, "start", experiment.start.isoformat())
    _child(summary, "end", experiment.end.isoformat())
    _optional(summary, "purpose", experiment.purpose)
    _optional(summary, "project", experiment.project)
    if experiment.sample_id or experiment.sample_name or experiment.sample_description:
        sample = etree.SubElement(summary, "sample")
        if experiment.sample_id:
            sample.set("id", xml_safe(experiment.sample_id))
        _optional(sample, "name", experiment.sample_name)
        _optional(sample, "description", experiment.sample_description)
    for person in experiment.collaborators:
        _optional(summary, "collaborator", person)
    _optional(summary, "notes", experiment.notes)
    _optional(summary, "description", experiment.description)
    _optional(summary, "url", experiment.url)
    return summary


def _derivation(derivation: dict) -> etree._Element:
    """The `derivation` element: method, parameters, inputs, agent, times and page of the run."""
    element = etree.Element("derivation", run=xml_safe(str(derivation["run"])))
    method = _child(element, "method", derivation.get("method_title") or derivation["method"])
    method.set("slug", xml_safe(derivation["method"]))
    method.set("version", xml_safe(str(derivation["version"])))
    if derivation.get("kind"):
        method.set("kind", xml_safe(derivation["kind"]))
    _params(element, "parameters", derivation.get("parameters") or {})
    for item in derivation["inputs"]:
        _child(element, "input", item["name"]).attrib.update({"record": str(item["record"]), "sha256": item["sha256"]})
    _optional(element, "agent", derivation.get("agent") or "")
    _optional(element, "start", derivation.get("started") or "")
    _optional(element, "end", derivation.get("ended") or "")
    _optional(element, "url", derivation.get("url") or "")
    return element


def _put(writer, element: etree._Element, level: int) -> None:
    """Write one finished element on its own line, indented at `level` (two spaces a level)."""
    etree.indent(element, space=INDENT, level=level)
    writer.write("\n" + INDENT * level)
    writer.write(element)


def _activity(writer, activity: Activity) -> None:
    with writer.element("acquisitionActivity", index=str(activity.index)):
        _put(writer, _child(None, "start", activity.start.isoformat()), 2)
        _put(writer, _child(None, "end", activity.end.isoformat()), 2)
        _put(writer, _child(None, "mode", activity.mode), 2)
        _put(writer, _params(None, "setup", activity.setup), 2)
        if activity.notes:
            _put(writer, _child(None, "notes", activity.notes), 2)
        for dataset in activity.datasets:
            for part in dataset.split():
                _put(writer, _dataset(part, activity.setup), 2)
        writer.write("\n" + INDENT)


def write_record(experiment: Experiment, out: str | os.PathLike | IO[bytes]) -> None:
    """Write the record of `experiment` as UTF-8 XML to `out` (a path or a binary file): one dataset per
    signal of each file, each listing only the parameters its activity's setup does not already state.

    The record is streamed: only the element being written is held, so memory does not grow with the
    number of files. Each activity's `datasets` may be any iterable, read once (the pipeline gives one
    that reads files from the database in chunks). Child elements are written without a namespace
    inside the root's default one, so each reads as part of the record's namespace.
    """
    if not hasattr(out, "write"):
        with open(out, "wb") as stream:
            write_record(experiment, stream)
        return
    with etree.xmlfile(out, encoding="UTF-8") as writer:
        writer.write_declaration()
        with writer.element(f"{{{NAMESPACE}}}experiment", nsmap={None: NAMESPACE}, schemaVersion=SCHEMA_VERSION):
            _put(writer, _child(None, "id", experiment.id), 1)
            _put(writer, _child(None, "title", experiment.title), 1)
            _put(writer, _summary(experiment), 1)
            if experiment.derivation:
                _put(writer, _derivation(experiment.derivation), 1)
            for activity in experiment.activities:
                writer.write("\n" + INDENT)
                _activity(writer, activity)
            writer.write("\n")
    out.write(b"\n")


def build_record(experiment: Experiment) -> bytes:
    """The record of `experiment` as UTF-8 XML bytes (`write_record` into memory; for small records)."""
    buffer = io.BytesIO()
    write_record(experiment, buffer)
    return buffer.getvalue()
