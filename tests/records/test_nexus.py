"""The Nexus Experiment v1.0 export: valid against NIST's schema, with summary, activities and datasets mapped."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from records.activities import group
from records.model import Dataset, Experiment
from records.nexus import NAMESPACE, to_nexus
from records.validate import validate
from records.xmlparser import parse

NEXUS_XSD = Path(__file__).resolve().parents[3] / "shared" / "external" / "nexus-experiment-v1.0.xsd"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
NX = {"nx": NAMESPACE}


def _experiment() -> Experiment:
    def file(i, seconds, signal_type, fmt, **extra):
        return Dataset(name=f"f{i}.{fmt.lower()}", location=f"raw/f{i}", size=100, sha256=f"{i:064x}", format=fmt,
                       signal_type=signal_type, acquired=START + timedelta(seconds=seconds), preview=f"/p/{i}.png",
                       metadata={"acceleration_voltage": {"value": 300, "unit": "kV"},
                                 "magnification": {"value": 1000 * (i + 1), "unit": ""}}, **extra)

    files = [file(0, 0, "image", "DM3"), file(1, 30, "image", "DM3", warnings=["no calibration"]),
             file(2, 4000, "spectrum_image", "EMD"), file(3, 4030, "spectrum_image", "EMD", error="truncated")]
    return Experiment(id="6f1c2a4e-0001", title="STEM-EDS of S-3 & friends", experimenter="alice",
                      instrument_pid="titan", instrument_name="FEI Titan", start=START, end=START + timedelta(hours=2),
                      purpose="Map Pt", project="Catalysis", sample_id="S-3", sample_name="Pt/C",
                      collaborators=["bob"], notes="Good session\nNo drift", url="https://lims.example.org/records/3/",
                      activities=group(files))


def test_the_export_is_valid_against_the_nexus_experiment_schema():
    if not NEXUS_XSD.exists():
        pytest.skip(f"NIST Nexus Experiment schema not found at {NEXUS_XSD}")
    assert validate(to_nexus(_experiment()), xsd=NEXUS_XSD) == []


def test_the_export_maps_the_summary_sample_and_project():
    root = parse(to_nexus(_experiment()))
    assert root.tag == f"{{{NAMESPACE}}}Experiment"
    assert root.findtext("nx:title", namespaces=NX) == "STEM-EDS of S-3 & friends"
    assert root.findtext("nx:summary/nx:experimenter", namespaces=NX) == "alice"
    instrument = root.find("nx:summary/nx:instrument", NX)
    assert (instrument.text, instrument.get("pid")) == ("FEI Titan", "titan")
    assert root.findtext("nx:summary/nx:reservationStart", namespaces=NX) == "2026-03-02T09:00:00+00:00"
    assert root.findtext("nx:summary/nx:motivation", namespaces=NX) == "Map Pt"
    assert root.find("nx:sample", NX).get("id") == "S-3"
    assert root.findtext("nx:project/nx:name", namespaces=NX) == "Catalysis"
    assert root.xpath("nx:notes/nx:entry/nx:p/text()", namespaces=NX) == ["Good session", "No drift"]


def test_the_export_maps_activities_setup_and_datasets():
    activities = parse(to_nexus(_experiment())).findall("nx:acquisitionActivity", NX)
    assert [a.get("seqno") for a in activities] == ["0", "1"]
    setup = {p.get("name"): (p.text, p.get("unit")) for p in activities[0].findall("nx:setup/nx:param", NX)}
    assert setup == {"mode": ("imaging", None), "acceleration_voltage": ("300", "kV")}
    datasets = activities[1].findall("nx:dataset", NX)
    assert [d.get("type") for d in datasets] == ["SpectrumImage", "SpectrumImage"]
    assert datasets[1].findtext("nx:description", namespaces=NX) == "Error: truncated"
    meta = {m.get("name"): m.text for m in datasets[0].findall("nx:meta", NX)}
    assert meta == {"magnification": "3000"}
    first = activities[0].find("nx:dataset[2]", NX)
    assert first.findtext("nx:description", namespaces=NX) == "Warning: no calibration"
    assert first.findtext("nx:preview", namespaces=NX) == "/p/1.png"
