"""App config for subscriptions: a saved search tied to an event and an action, delivered once per record."""
from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "lims.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"
