"""E-mail preferences in the admin."""
from django.contrib import admin

from lims.mail.models import Preference


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "record_ready"]
