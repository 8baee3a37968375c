"""Events in the admin, to see what was dispatched and what failed."""
from django.contrib import admin

from lims.events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "subject", "generation", "created", "dispatched", "attempts"]
    list_filter = ["type"]
    readonly_fields = [f.name for f in Event._meta.fields]
