"""App config for operations: backups, restores, fixity audits, the overview and preflight checks."""
from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "lims.operations"
    label = "operations"
    verbose_name = "Operations"
