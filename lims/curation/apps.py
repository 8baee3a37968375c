"""App config for curation: people's edits to a record after its build, kept with their history."""
from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "lims.curation"
    label = "curation"
    verbose_name = "Curation"
