"""Saved searches in the admin."""
from django.contrib import admin

from lims.searches.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "query", "created"]
    search_fields = ["name", "query", "owner__username"]
