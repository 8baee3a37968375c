"""Webhook endpoints and messages in the admin."""
from django.contrib import admin

from lims.webhooks.models import Endpoint, Message


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "active", "failed_in_a_row", "created"]
    exclude = ["secret"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["message_id", "endpoint", "event_type", "state", "attempts", "last_status_code", "created"]
    list_filter = ["state"]
