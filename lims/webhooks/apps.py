"""App config for webhooks: people's endpoints, signed messages to them, retries and a log per attempt."""
from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lims.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
