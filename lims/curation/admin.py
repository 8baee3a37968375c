"""Read-only admin views of curation: what each record's edits were."""
from django.contrib import admin

from lims.curation.models import Edit


@admin.register(Edit)
class EditAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "target", "session"]
    list_filter = ["action"]
    search_fields = ["username", "target", "before", "after"]
    readonly_fields = [field.name for field in Edit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
