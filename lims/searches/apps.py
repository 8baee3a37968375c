"""App config for saved searches: named queries people keep, with a preview of what they match."""
from django.apps import AppConfig


class SearchesConfig(AppConfig):
    name = "lims.searches"
    label = "searches"
    verbose_name = "Saved searches"
