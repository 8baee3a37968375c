"""Resumable uploads in progress (tus 1.0): where each one stands and where its bytes wait."""
import uuid

from django.conf import settings
from django.db import models


class Upload(models.Model):
    """One tus upload of one file into one session; complete when offset == length."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    session = models.ForeignKey("lims_sessions.Session", on_delete=models.CASCADE, related_name="uploads")
    relative_path = models.CharField(max_length=1024)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Whole-file checksum announced by the client.")
    mtime = models.DateTimeField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    datafile = models.ForeignKey("lims_sessions.DataFile", null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    completed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]
        constraints = [
            # Two creations of the same announced file (a retried request) share one upload.
            models.UniqueConstraint(
                fields=["session", "relative_path", "length", "sha256"],
                condition=~models.Q(sha256=""),
                name="one_upload_per_announced_file",
            )
        ]

    @property
    def is_complete(self) -> bool:
        return self.completed is not None

    @property
    def part_path(self):
        return settings.DATA_ROOT / ".uploads" / f"{self.id}.part"
