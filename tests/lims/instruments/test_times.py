"""Times on the instrument's clock: the zone's abbreviation for people, the UTC offset for JSON."""
from datetime import datetime, timezone

from lims.instruments import times

WINTER = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc)
SUMMER = datetime(2025, 7, 14, 9, 0, tzinfo=timezone.utc)


def test_it_shows_a_time_in_the_instrument_zone_with_its_abbreviation():
    assert times.local(WINTER, "Europe/Berlin") == "2025-03-14 10:00 CET"
    assert times.local(SUMMER, "Europe/Berlin") == "2025-07-14 11:00 CEST"
    assert times.local(WINTER, "America/Denver", fmt=times.TIME) == "03:00 MDT"


def test_it_reads_iso_text_and_takes_naive_values_as_utc():
    assert times.local("2025-03-14T09:00:00+00:00", "Europe/Berlin") == "2025-03-14 10:00 CET"
    assert times.local("2025-03-14T09:00:00", "Europe/Berlin") == "2025-03-14 10:00 CET"
    assert times.local("not a time", "Europe/Berlin") == ""
    assert times.local(None, "Europe/Berlin") == ""


def test_an_unknown_or_empty_zone_falls_back_to_utc():
    assert times.local(WINTER, "Mars/Olympus") == "2025-03-14 09:00 UTC"
    assert times.local(WINTER, "") == "2025-03-14 09:00 UTC"


def test_a_range_shows_the_date_once_unless_it_crosses_midnight():
    end = datetime(2025, 3, 14, 9, 45, tzinfo=timezone.utc)
    assert times.local_range(WINTER, end, "Europe/Berlin") == "2025-03-14 10:00–10:45 CET"
    late = datetime(2025, 3, 14, 23, 30, tzinfo=timezone.utc)
    assert times.local_range(WINTER, late, "Europe/Berlin") == "2025-03-14 10:00 CET – 2025-03-15 00:30 CET"
    assert times.local_range(WINTER, None, "UTC") == "2025-03-14 09:00 UTC"
    assert times.local_range(WINTER, WINTER, "UTC") == "2025-03-14 09:00 UTC"


def test_json_gets_the_utc_offset_of_the_zone_at_that_moment():
    assert times.iso(WINTER, "Europe/Berlin") == "2025-03-14T10:00:00+01:00"
    assert times.iso(SUMMER, "Europe/Berlin") == "2025-07-14T11:00:00+02:00"
    assert times.iso(None, "Europe/Berlin") is None
