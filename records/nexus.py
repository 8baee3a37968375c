"""Exports an experiment as a NIST "Nexus Experiment" v1.0 document, for NexusLIMS/CDCS-based tools."""
from lxml import etree

from records.model import Activity, Dataset, Experiment
from records.xml import parameters, xml_safe

NAMESPACE = "https://data.nist.gov/od/dm/nexus/experiment/v1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DATASET_TYPES = {
    "image": "Image",
    "stack": "Image",
    "spectrum": "Spectrum",
    "spectrum_image": "SpectrumImage",
    "diffraction": "Diffraction",
    "4d": "Diffraction",
    "text": "Notes",
    "point_cloud": "Misc",
    "other": "Misc",
}
_NX = f"{{{NAMESPACE}}}"


def _add(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _NX + tag, {k: xml_safe(v) for k, v in attributes.items() if v})
    if text:
        element.text = xml_safe(text)
    return element


def _notes(parent: etree._Element, text: str) -> None:
    notes = _add(parent, "notes")
    entry = _add(notes, "entry")
    entry.set(f"{{{XSI}}}type", "nx:TextEntry")
    for paragraph in [line for line in text.splitlines() if line.strip()] or [text]:
        _add(entry, "p", paragraph)


def _params(parent: etree._Element, tag: str, metadata: dict) -> None:
    for name, text, _kind, unit in parameters(metadata):
        _add(parent, tag, text, name=name, unit=unit)


def _dataset(parent: etree._Element, dataset: Dataset, setup_keys: frozenset) -> None:
    element = _add(parent, "dataset", type=DATASET_TYPES.get(dataset.signal_type, "Unknown"), role="Experimental")
    _add(element, "name", dataset.name)
    _add(element, "location", dataset.url or dataset.location)
    if dataset.format:
        _add(element, "format", dataset.format)
    for warning in dataset.warnings:
        _add(element, "description", f"Warning: {warning}")
    if dataset.error:
        _add(element, "description", f"Error: {dataset.error}")
    if dataset.preview:
        _add(element, "preview", dataset.preview)
    _params(element, "meta", {k: v for k, v in dataset.metadata.items() if k not in setup_keys})


def _activity(parent: etree._Element, activity: Activity, sample_id: str) -> None:
    element = _add(parent, "acquisitionActivity", seqno=str(activity.index - 1))
    _add(element, "startTime", activity.start.isoformat())
    if sample_id:
        _add(element, "sampleID", sample_id)
    setup = _add(element, "setup")
    _params(setup, "param", {"mode": activity.mode, **activity.setup})
    if activity.notes:
        _notes(element, activity.notes)
    setup_keys = frozenset(activity.setup)
    for dataset in activity.datasets:
        for part in dataset.split():  # one dataset per signal of a file holding several
            _dataset(element, part, setup_keys)


def to_nexus(experiment: Experiment) -> bytes:
    """`experiment` as a Nexus Experiment v1.0 XML document (UTF-8 bytes)."""
    root = etree.Element(_NX + "Experiment", nsmap={"nx": NAMESPACE, "xsi": XSI})
    _add(root, "title", experiment.title)
    _add(root, "id", experiment.id)
    summary = _add(root, "summary", ref=experiment.url)
    _add(summary, "experimenter", experiment.experimenter)
    for person in experiment.collaborators:
        _add(summary, "collaborator", person)
    _add(summary, "instrument", experiment.instrument_name, pid=experiment.instrument_pid)
    _add(summary, "reservationStart", experiment.start.isoformat())
    _add(summary, "reservationEnd", experiment.end.isoformat())
    if experiment.purpose:
        _add(summary, "motivation", experiment.purpose)
    if experiment.sample_id or experiment.sample_name or experiment.sample_description:
        sample = _add(root, "sample", id=experiment.sample_id)
        if experiment.sample_name:
            _add(sample, "name", experiment.sample_name)
        if experiment.sample_description:
            _add(sample, "description", experiment.sample_description)
    if experiment.project:
        _add(_add(root, "project"), "name", experiment.project)
    for activity in experiment.activities:
        _activity(root, activity, experiment.sample_id)
    if experiment.notes:
        _notes(root, experiment.notes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
