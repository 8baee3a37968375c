"""App config for shared plumbing."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lims.core"
    label = "lims_core"
