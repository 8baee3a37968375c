"""Subscriptions and deliveries in the admin."""
from django.contrib import admin

from lims.subscriptions.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "search", "event", "action", "active"]
    list_filter = ["event", "action", "active"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "subscription", "subject", "state", "attempts", "created", "done"]
    list_filter = ["state"]
