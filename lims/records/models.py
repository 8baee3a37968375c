"""Experiment records built from sessions, and the per-file extraction cache keyed by content."""
from django.db import models


class Record(models.Model):
    """The one record of a session; a rebuild replaces it in place, so there is never a second."""

    session = models.OneToOneField("lims_sessions.Session", on_delete=models.CASCADE, related_name="record")
    title = models.CharField(max_length=500)
    xml = models.TextField()
    data = models.JSONField(default=dict, blank=True, help_text="Activities and summary used by pages and API.")
    schema_version = models.CharField(max_length=16)
    file_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    activity_count = models.PositiveIntegerField(default=0)
    formats = models.JSONField(default=list, blank=True)
    modes = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    built = models.DateTimeField()

    class Meta:
        ordering = ["-session__start"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"/records/{self.pk}/"


class ExtractionResult(models.Model):
    """What extraction found in one file content (by sha256), reused when the same bytes recur."""

    sha256 = models.CharField(max_length=64)
    extractor_version = models.CharField(max_length=32)
    format = models.CharField(max_length=64, blank=True)
    extractor = models.CharField(max_length=64, blank=True)
    signal_type = models.CharField(max_length=32, blank=True)
    acquired = models.DateTimeField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    original_metadata = models.JSONField(default=dict, blank=True, help_text="The vendor's full tree, untouched.")
    warnings = models.JSONField(default=list, blank=True)
    preview = models.CharField(max_length=1024, blank=True, help_text="Path relative to DATA_ROOT.")
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sha256", "extractor_version"], name="one_result_per_content")
        ]
