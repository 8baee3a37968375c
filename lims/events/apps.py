"""App config for events: the outbox of things that happened (a record completed or changed, a run ended)."""
from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "lims.events"
    label = "events"
    verbose_name = "Events"
