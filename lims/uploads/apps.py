"""App config for resumable (tus) uploads."""
from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "lims.uploads"
    label = "uploads"
