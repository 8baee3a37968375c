"""Admin pages for records: browse them and re-index them for search."""
from django.contrib import admin

from lims.records.models import Record
from lims.search.index import index_record


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "instrument", "experimenter", "file_count", "error_count", "built"]
    list_select_related = ["session__instrument"]
    search_fields = ["title", "session__user", "session__project"]
    readonly_fields = ["session", "schema_version", "file_count", "error_count", "activity_count", "formats", "modes",
                       "created", "built"]
    exclude = ["xml_text", "xml_key"]
    actions = ["reindex"]

    @admin.display(description="Instrument")
    def instrument(self, record):
        return record.session.instrument.pid

    @admin.display(description="Experimenter")
    def experimenter(self, record):
        return record.session.user

    @admin.action(description="Re-index the selected records for search")
    def reindex(self, request, queryset):
        for record in queryset:
            index_record(record)
        self.message_user(request, f"Re-indexed {queryset.count()} record(s).")
