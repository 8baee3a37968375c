"""Subscriptions and their deliveries.

A Delivery is the promise "this subscription acts on this subject once": its row is unique per
subscription and subject, so a rebuild, a second dispatch of an event or a backfill never acts
twice. Delivery states: PENDING -> DONE | FAILED (after MAX_ATTEMPTS); a PENDING one is tried again
by beat.
"""
from django.conf import settings
from django.db import models

from lims.events.models import Event


class Subscription(models.Model):
    class Action(models.TextChoices):
        WEBHOOK = "webhook", "Send a webhook"
        EMAIL = "email", "Send an e-mail"
        RUN = "run", "Run a method"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    search = models.ForeignKey("searches.SavedSearch", on_delete=models.CASCADE, related_name="subscriptions")
    event = models.CharField(max_length=40, choices=Event.Type.choices, default=Event.Type.RECORD_COMPLETED)
    action = models.CharField(max_length=40, choices=Action.choices)
    endpoint = models.ForeignKey("webhooks.Endpoint", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="subscriptions")
    params = models.JSONField(default=dict, blank=True)  # what the action needs beyond the endpoint
    # Records derived by methods are of generation 1, 2, ...: by default only instrument data triggers.
    max_generation = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.search.name}: {self.event} -> {self.action}"


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "PENDING"
        DONE = "DONE"
        FAILED = "FAILED"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    subject = models.CharField(max_length=100)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    record = models.ForeignKey("lims_records.Record", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    detail = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    done = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "subject"], name="one_delivery_per_subject")]
