"""The analysis app."""
from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "lims.analysis"
    label = "analysis"
    verbose_name = "Analysis"
