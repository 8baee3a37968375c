"""How metadata reads on the pages: labels, precision, fitting units, axes, file facts, warning marks, scale bars."""
import pytest

from lims.records import display


def q(value, unit):
    return {"value": value, "unit": unit}


def test_labels_come_from_the_vocabulary_and_unknown_keys_read_as_words():
    assert display.label("acceleration_voltage") == "Acceleration voltage"
    assert display.label("stage_alpha") == "Stage tilt α"
    assert display.label("gun_lens") == "Gun lens"


@pytest.mark.parametrize(("value", "text"), [
    (320.00000000000006, "320"), (-0.0, "0"), (225000.0, "225,000"), (0.00243999806634, "0.00244"),
    (29.997, "29.997"), (12, "12"), (123456, "123,456"), (1e-7, "1e-07"), (True, "yes"), (float("nan"), "nan"),
])
def test_numbers_are_shown_at_a_sensible_precision(value, text):
    assert display.number(value) == text


@pytest.mark.parametrize(("value", "unit", "text"), [
    (100000, "us", "100 ms"), (0.00625, "nA", "6.25 pA"), (3372.4, "nm", "3.3724 µm"), (7965, "um", "7.965 mm"),
    (200, "kV", "200 kV"), (320.00000000000006, "kV", "320 kV"), (-0.0, "deg", "0 °"), (0.0200100006768, "s", "20.01 ms"),
    (5, "furlong", "5 furlong"), (0.5, "nm", "0.5 nm"), (0.05, "nm", "50 pm"),
])
def test_quantities_are_rescaled_to_a_fitting_unit(value, unit, text):
    assert display.quantity(value, unit) == text


def test_a_table_column_keeps_one_unit():
    assert display.in_column_unit("stage_x", q(7965, "um")) == "7965"
    assert display.in_column_unit("stage_x", q(7.965, "mm")) == "7965"
    assert display.column_unit("stage_x") == "um"
    assert display.in_column_unit("magnification", 120.0) == "120×"


def test_axes_become_rows_with_scaled_units():
    rows = display.axes([
        {"name": "y", "size": 2, "scale": 0.0019920736085623503, "offset": 0.0, "unit": "um", "navigate": True},
        {"name": "Energy loss", "size": 2048, "scale": 1.0, "offset": 300.0, "unit": "eV", "navigate": False},
    ])
    assert rows == [
        {"name": "y", "size": "2", "scale": "1.9921 nm", "offset": "0 µm", "kind": "navigation"},
        {"name": "Energy loss", "size": "2048", "scale": "1 eV", "offset": "300 eV", "kind": "signal"},
    ]


def test_file_facts_are_kept_apart_from_instrument_settings():
    metadata = {"acceleration_voltage": q(200, "kV"), "size": 4096, "data_type": "uint16", "modified_time": "x",
                "dimensions": [], "signal_type": "image", "detector": "HAADF"}
    assert [item.label for item in display.settings(metadata)] == ["Acceleration voltage", "Detector"]
    assert [(item.label, item.text) for item in display.file_facts(metadata)] == [("Size", "4.0\xa0KB"),
                                                                                  ("Data type", "uint16")]


def test_values_instruments_write_unreliably_carry_a_warning():
    items = {item.key: item for item in display.settings({"operator": "supervisor", "detector": "ETD"})}
    assert "account logged in" in items["operator"].warning
    assert items["detector"].warning == ""


def test_a_file_shows_only_what_differs_from_its_activity():
    setup = {"acceleration_voltage": q(200, "kV")}
    assert display.differing({"acceleration_voltage": q(200, "kV"), "magnification": 5000}, setup) == {
        "magnification": 5000}


def test_a_scale_bar_is_a_round_length_about_a_fifth_of_the_image():
    image = {"signal_type": "image", "dimensions": [
        {"name": "y", "size": 471, "scale": 3372.4, "unit": "nm"}, {"name": "x", "size": 512, "scale": 3372.4, "unit": "nm"}]}
    assert display.scalebar(image) == {"percent": 11.583, "label": "200 µm"}
    uncalibrated = {"signal_type": "image", "dimensions": [{"name": "y", "size": 8, "scale": 1.0, "unit": ""},
                                                           {"name": "x", "size": 8, "scale": 1.0, "unit": ""}]}
    assert display.scalebar(uncalibrated) is None
    assert display.scalebar({"signal_type": "spectrum", "dimensions": image["dimensions"]}) is None
