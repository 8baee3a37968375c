"""Webhook endpoints, the messages sent to them and every attempt at sending one.

Message states: PENDING (waiting for its next attempt at `next_attempt`) -> SUCCEEDED (a 2xx
answer) | FAILED (no 2xx after the whole retry schedule). Redeliver moves a message back to PENDING.
An endpoint is disabled (`active` False) after MAX_FAILED_MESSAGES messages in a row FAILED.
"""
import base64
import secrets

from django.conf import settings
from django.db import models

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    failed_in_a_row = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class Message(models.Model):
    class State(models.TextChoices):
        PENDING = "PENDING"
        SUCCEEDED = "SUCCEEDED"
        FAILED = "FAILED"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=100, unique=True)  # the webhook-id header: receivers dedupe on it
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # since it was made or last redelivered
    next_attempt = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class Attempt(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response = models.CharField(max_length=500, blank=True)  # the start of the answer's body
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
