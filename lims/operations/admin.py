"""Fixity audits in the admin, read-only: they are written by `verify` and the weekly task."""
from django.contrib import admin

from lims.operations.models import FixityAudit


@admin.register(FixityAudit)
class FixityAuditAdmin(admin.ModelAdmin):
    list_display = ["started", "finished", "since", "checked", "missing", "changed", "unreferenced"]
    readonly_fields = [field.name for field in FixityAudit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
