"""Metadata values put in one unit per table column: SI prefixes convert, other units do not."""
from lims_client.records import convert


def test_prefixes_convert_and_other_units_do_not():
    assert convert(200000, "V", "kV") == 200.0
    assert abs(convert(0.5, "nm", "pm") - 500.0) < 1e-9
    assert abs(convert(10, "mm", "m") - 0.01) < 1e-12
    assert convert(3, "kV", "kV") == 3
    assert convert(3, "s", "kV") is None
    assert convert("n/a", "V", "kV") is None
