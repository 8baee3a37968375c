"""Admin for sessions (with their events and a rebuild action) and their data files."""
from django.contrib import admin, messages
from django.db.models import Count

from lims.sessions import builds
from lims.sessions.models import DataFile, Session, SessionEvent


class SessionEventInline(admin.TabularInline):
    model = SessionEvent
    extra = 0
    fields = ["kind", "at", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["id", "instrument", "user", "start", "end", "state", "files_count"]
    list_filter = ["state", "instrument", "visibility"]
    search_fields = ["id", "user", "sample", "sample_id", "project"]
    date_hierarchy = "start"
    readonly_fields = ["id", "state", "state_changed", "last_heartbeat", "last_seen", "build_attempts", "build_queued",
                       "build_progress", "created", "error"]
    raw_id_fields = ["account"]
    inlines = [SessionEventInline]
    actions = ["rebuild_record"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("instrument").annotate(files_total=Count("files"))

    @admin.display(description="files", ordering="files_total")
    def files_count(self, session) -> int:
        return session.files_total

    @admin.action(description="Rebuild the record")
    def rebuild_record(self, request, queryset):
        queued, skipped = 0, 0
        for session in queryset:
            if builds.queue_build(session, rebuild=True):
                queued += 1
            else:
                skipped += 1
        self.message_user(request, f"{queued} record build(s) queued.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} session(s) still ACTIVE were left alone.", messages.WARNING)


@admin.register(DataFile)
class DataFileAdmin(admin.ModelAdmin):
    list_display = ["relative_path", "version", "session", "size", "format", "extracted", "has_error"]
    list_filter = ["extracted", "format", "session__instrument"]
    search_fields = ["relative_path", "sha256", "session__id"]
    raw_id_fields = ["session"]
    readonly_fields = ["sha256", "size", "stored_as", "created"]

    @admin.display(boolean=True, description="error")
    def has_error(self, datafile) -> bool:
        return bool(datafile.error)
