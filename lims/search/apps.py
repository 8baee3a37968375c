"""App config for search: keeps the index in step when a session is saved or a record deleted."""
from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "lims.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lims.records.models import Record
        from lims.search.index import forget_record, sync_visibility
        from lims.sessions.models import Session

        post_save.connect(sync_visibility, sender=Session, dispatch_uid="search-sync-visibility")
        post_delete.connect(forget_record, sender=Record, dispatch_uid="search-forget-record")
