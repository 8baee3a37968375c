"""The small description of an event that webhooks and e-mails carry: type, id, time and the record's links."""
from django.conf import settings

from lims.events.models import Event


def event_payload(event: Event) -> dict:
    """{"type", "id", "timestamp", "data": {record id, URLs, instrument, title, and the event's own data}}."""
    data = dict(event.data)
    record = event.record
    if record is not None:
        data.update({
            "record": record.pk,
            "url": f"{settings.SITE_URL}{record.get_absolute_url()}",
            "api_url": f"{settings.SITE_URL}/api/v1/records/{record.pk}/",
            "instrument": record.session.instrument.pid,
            "title": record.title,
        })
    return {"type": event.type, "id": f"evt_{event.pk}", "timestamp": event.created.isoformat(), "data": data}
