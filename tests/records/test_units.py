"""Quantities are normalised with pint to one display unit per canonical key, and compare in SI."""
import pytest

from records.units import CANONICAL_KEYS, UnitError, clean_unit, parse_unit, quantity, to_base


def test_200000_volts_and_200_kilovolts_are_the_same_voltage():
    assert quantity(200000, "V", "acceleration_voltage") == {"value": 200.0, "unit": "kV"}
    assert to_base(quantity(200000, "V")) == to_base({"value": 200, "unit": "kV"}) == 200000.0


@pytest.mark.parametrize("value, unit, key, expected", [
    (3.3724e-06, "m", "pixel_size_x", {"value": 3372.4, "unit": "nm"}),
    (0.00403466, "m", "working_distance", {"value": 4.03466, "unit": "mm"}),
    (1e-05, "s", "dwell_time", {"value": 10.0, "unit": "us"}),
    (6.25e-12, "A", "beam_current", {"value": 0.00625, "unit": "nA"}),
    (0.56, "m", "camera_length", {"value": 560.0, "unit": "mm"}),
    (0.0146008, "m", "stage_y", {"value": 14600.8, "unit": "um"}),
    (5.0, "µm", "stage_x", {"value": 5.0, "unit": "um"}),
    (0.5, "°", "stage_alpha", {"value": 0.5, "unit": "deg"}),
])
def test_each_key_has_its_display_unit(value, unit, key, expected):
    assert quantity(value, unit, key) == expected


@pytest.mark.parametrize("value, unit, expected", [
    (0.002, "m", {"value": 2.0, "unit": "mm"}),
    (2.5e-9, "m", {"value": 2.5, "unit": "nm"}),
    (0.0005, "s", {"value": 500.0, "unit": "us"}),
    (3e-10, "A", {"value": 300.0, "unit": "pA"}),
])
def test_without_a_key_it_picks_a_readable_unit(value, unit, expected):
    assert quantity(value, unit) == expected


def test_it_understands_instrument_spellings():
    assert clean_unit("Energy (EV)") == "eV"
    assert clean_unit("µm") == "um"
    assert clean_unit("dg") == "deg"


def test_the_contract_keys_are_in_the_vocabulary():
    contract = {"vendor", "model", "acquisition_time", "acceleration_voltage", "beam_current", "magnification",
                "pixel_size_x", "pixel_size_y", "working_distance", "dwell_time", "exposure_time", "detector",
                "camera_length", "spot_size", "stage_x", "stage_y", "stage_z", "stage_alpha", "stage_beta",
                "signal_type", "dimensions", "data_type"}
    assert contract <= CANONICAL_KEYS


@pytest.mark.parametrize("text, expected", [
    ("kV", "kilovolt"), ("µm", "micrometer"), ("um", "micrometer"), ("1/nm", "1 / nanometer"),
    ("m^2", "meter ** 2"), ("m**2", "meter ** 2"), ("kg*m/s^2", "kilogram * meter / second ** 2"),
    ("N m", "meter * newton"), ("", "dimensionless"), ("Energy (EV)", "electron_volt"),
])
def test_it_reads_units_by_a_small_grammar(text, expected):
    assert str(parse_unit(text)) == expected


@pytest.mark.parametrize("text", [
    "1kV**2**2**2**2**2**2", "kV**2**2", "m^99", "m^(2)", "2*m", "kV)", "__import__", "a" * 200,
    "m*m*m*m*m*m*m*m", "nosuchunit", "kV/", "/",
])
def test_it_refuses_anything_else_quickly(text):
    # pint's own parser would evaluate the exponent tower and take gigabytes.
    with pytest.raises(UnitError):
        parse_unit(text)


def test_quantity_with_an_exponent_tower_unit_raises_a_value_error():
    with pytest.raises(ValueError):
        quantity(1.0, "V**2**2**2**2**2**2")
