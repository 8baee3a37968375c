"""Admin views of analysis: methods and runs (read-only: they change only through their own rules), runner tokens."""
from django.contrib import admin

from lims.analysis.models import Method, Run, RunnerToken


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Method)
class MethodAdmin(_ReadOnly):
    list_display = ["slug", "version", "kind", "title", "queue", "builtin", "created"]
    list_filter = ["kind", "queue", "builtin"]
    search_fields = ["slug", "title"]


@admin.register(Run)
class RunAdmin(_ReadOnly):
    list_display = ["id", "method", "record", "state", "requested_by", "created", "finished"]
    list_filter = ["state", "method__slug"]
    search_fields = ["id", "error"]


@admin.register(RunnerToken)
class RunnerTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "queue", "created"]
    readonly_fields = ["key", "created"]
