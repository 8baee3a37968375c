"""An event in the outbox: written in the transaction that made it happen, dispatched after commit.

States: `dispatched` is empty until every handler of its type has taken the event; beat sends
again what stayed empty (a lost broker message, a worker killed, a handler that failed).
"""
from django.db import models


class Event(models.Model):
    class Type(models.TextChoices):
        RECORD_COMPLETED = "record.completed"
        RECORD_UPDATED = "record.updated"
        RUN_SUCCEEDED = "run.succeeded"
        RUN_FAILED = "run.failed"

    type = models.CharField(max_length=40, choices=Type.choices)
    record = models.ForeignKey("lims_records.Record", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="events")
    # What "the same thing" means for exactly-once delivery: the record for record.completed (a rebuild
    # completes it again), the event itself for an edit, the run for a run's end.
    subject = models.CharField(max_length=100)
    # 0 for records made from instrument data; a record derived by a method from generation n is n + 1.
    generation = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    dispatched = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["created"], condition=models.Q(dispatched__isnull=True),
                                name="event_undispatched")]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"
