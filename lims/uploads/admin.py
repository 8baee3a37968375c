"""Admin for uploads: where each one stands, to find stuck or abandoned transfers."""
from django.contrib import admin

from lims.uploads.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["relative_path", "session", "offset", "length", "created", "updated", "completed"]
    list_filter = ["session__instrument", ("completed", admin.EmptyFieldListFilter)]
    search_fields = ["relative_path", "sha256", "session__id"]
    raw_id_fields = ["session", "datafile"]
    readonly_fields = ["id", "offset", "length", "sha256", "created", "updated", "completed"]
