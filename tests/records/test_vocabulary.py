"""The vocabulary: every term documented, every display unit convertible and named in QUDT, IRIs well formed."""
import re
from pathlib import Path

import pytest

from records.units import parse_unit, quantity
from records.vocabulary import EMG_BASE, QUDT_BASE, QUDT_UNITS, TERMS, term_iri, unit_iri

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metadata.md"
# NexusLIMS 2.8's terms and the brief's list, all of which must have a home
REQUIRED = {"detector_elevation", "detector_azimuth", "takeoff_angle", "chamber_pressure", "vacuum_mode",
            "emission_current", "beam_current", "probe_current", "spot_size", "condenser_aperture",
            "objective_aperture", "selected_area_aperture", "convergence_angle", "collection_angle",
            "detector_inner_angle", "detector_outer_angle", "energy_dispersion", "energy_offset", "slit_width",
            "spectrometer_aperture", "live_time", "real_time", "dead_time", "detector_type", "detector_window",
            "binning", "exposure_time", "frame_count", "readout", "stage_alpha", "stage_rotation", "operator",
            "software_version", "firmware_version", "serial_number", "energy_filter", "energy_loss",
            "acquisition_mode", "horizontal_field_width", "energy_resolution", "elements", "working_distance",
            "dwell_time", "camera_length", "magnification", "acceleration_voltage"}


def test_the_vocabulary_covers_the_required_terms():
    assert REQUIRED <= set(TERMS)


@pytest.mark.parametrize("key", sorted(TERMS))
def test_each_term_is_documented_with_its_unit_and_glossary_link(key):
    text = DOCS.read_text(encoding="utf-8")
    row = next((line for line in text.splitlines() if line.startswith(f"| `{key}` |")), None)
    assert row is not None, f"{key} is not in docs/metadata.md"
    term = TERMS[key]
    if term.emg:
        assert f"{EMG_BASE}{term.emg}" in row
    if term.unit:
        assert f"unit:{QUDT_UNITS[term.unit]}" in row


@pytest.mark.parametrize("key", sorted(k for k, t in TERMS.items() if t.unit))
def test_each_display_unit_is_read_by_the_unit_grammar_and_has_a_qudt_iri(key):
    unit = TERMS[key].unit
    parse_unit(unit)
    assert quantity(1.0, unit, key) == {"value": 1.0, "unit": unit}
    assert unit_iri(unit) == QUDT_BASE + QUDT_UNITS[unit]


def test_glossary_identifiers_are_well_formed_and_resolve_to_iris():
    for key, term in TERMS.items():
        if term.emg:
            assert re.fullmatch(r"EMG_\d{8}", term.emg), key
    assert term_iri("acceleration_voltage") == "https://purls.helmholtz-metadaten.de/emg/EMG_00000004"
    assert term_iri("working_distance").endswith("EMG_00000050")
    assert term_iri("stage_x") is None and term_iri("not a term") is None
    assert unit_iri("furlong") is None
