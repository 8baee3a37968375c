"""Template filters for times on the instrument's clock: `{{ session.start|local:zone }}`."""
from django import template

from lims.instruments import times

register = template.Library()


@register.filter
def local(value, zone_name):
    """'2025-03-14 10:00 CET'."""
    return times.local(value, zone_name)


@register.filter
def local_time(value, zone_name):
    """'10:00 CET': the time of day only, where the date is already shown nearby."""
    return times.local(value, zone_name, fmt=times.TIME)


@register.simple_tag
def local_range(start, end, zone_name):
    """'2025-03-14 10:00–10:45 CET'."""
    return times.local_range(start, end, zone_name)
