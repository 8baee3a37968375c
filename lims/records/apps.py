"""App config for experiment records (the Django side of the `records` library)."""
from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "lims.records"
    label = "lims_records"
    verbose_name = "Records"
