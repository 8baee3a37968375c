"""Times as the instrument's clock showed them: pages write the zone's abbreviation, the API its UTC offset.

Every time a person reads (titles, summaries, cards, activities, files) goes through `local` or
`local_range`; every time in JSON goes through `iso`. Stored times stay in UTC.
"""
import zoneinfo
from datetime import datetime, timezone

DATE_TIME = "%Y-%m-%d %H:%M"
TIME = "%H:%M"


def zone(name: str | None):
    """The tzinfo of a zone name; UTC for an empty or unknown name."""
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.utc
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def in_zone(value, zone_name: str | None) -> datetime | None:
    """`value` (an aware datetime or ISO text) in the zone; None for missing or unreadable values.

    A naive value is taken to be UTC, as everything the database stores is.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone(zone_name))


def _abbreviation(moment: datetime) -> str:
    return moment.tzname() or moment.strftime("%z")


def local(value, zone_name: str | None, fmt: str = DATE_TIME) -> str:
    """'2025-03-14 10:00 CET': the time on the instrument's clock with its zone; '' when there is none."""
    moment = in_zone(value, zone_name)
    return f"{moment.strftime(fmt)} {_abbreviation(moment)}" if moment else ""


def local_range(start, end, zone_name: str | None) -> str:
    """'2025-03-14 10:00–10:45 CET', or with both dates when the range crosses midnight."""
    first, last = in_zone(start, zone_name), in_zone(end, zone_name)
    if first is None:
        return local(last, zone_name)
    if last is None or last == first:
        return local(first, zone_name)
    if first.date() == last.date() and first.tzname() == last.tzname():
        return f"{first.strftime(DATE_TIME)}–{last.strftime(TIME)} {_abbreviation(last)}"
    return f"{local(first, zone_name)} – {local(last, zone_name)}"


def iso(value, zone_name: str | None, timespec: str = "auto") -> str | None:
    """'2025-03-14T10:00:00+01:00': ISO 8601 with the instrument's UTC offset, for JSON and CSV."""
    moment = in_zone(value, zone_name)
    return moment.isoformat(timespec=timespec) if moment else None
