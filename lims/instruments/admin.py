"""Admin for instruments: token shown read-only, with an action to issue new ones."""
from django.contrib import admin, messages

from lims.instruments.models import Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["pid", "name", "hostname", "location", "timezone", "active"]
    list_filter = ["active"]
    search_fields = ["pid", "name", "hostname", "location"]
    readonly_fields = ["api_token", "created"]
    actions = ["rotate_tokens"]

    def get_readonly_fields(self, request, obj=None):
        # The PID names folders on disk: fixed once the instrument exists.
        return [*self.readonly_fields, "pid"] if obj is not None else self.readonly_fields

    @admin.action(description="Issue new API tokens (the old ones stop working)")
    def rotate_tokens(self, request, queryset):
        for instrument in queryset:
            instrument.rotate_token()
        self.message_user(
            request, f"New tokens issued for {queryset.count()} instrument(s); each is shown on its page.",
            messages.SUCCESS,
        )
