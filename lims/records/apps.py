"""App config for experiment records (the Django side of the `records` library)."""
from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "lims.records"
    label = "lims_records"
    verbose_name = "Records"

    def ready(self):
        from django.db.models.signals import post_save

        from lims.records.search import sync_visibility
        from lims.sessions.models import Session

        post_save.connect(sync_visibility, sender=Session, dispatch_uid="records-sync-visibility")
