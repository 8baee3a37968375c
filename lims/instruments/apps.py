"""App config for instruments."""
from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "lims.instruments"
    label = "instruments"
