"""Experiment records built from sessions, and the per-file extraction cache keyed by content."""
from django.db import models

from lims.sessions.models import DataFile


class Record(models.Model):
    """The one record of a session; a rebuild replaces it in place, so there is never a second."""

    class Kind(models.TextChoices):
        ACQUISITION = "ACQUISITION", "Instrument session"
        DERIVED = "DERIVED", "Derived by an analysis"

    session = models.OneToOneField("lims_sessions.Session", on_delete=models.CASCADE, related_name="record")
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ACQUISITION)
    # 0 for instrument data; a record derived by a method from a record of generation n is n + 1.
    generation = models.PositiveIntegerField(default=0)
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

    def activities(self) -> list[dict]:
        """The activities as built: index, start, end (ISO, UTC), mode, setup, notes, file_count; in time order."""
        return (self.data or {}).get("activities", [])

    @staticmethod
    def preview_files(records) -> dict:
        """Record id -> id of the DataFile whose preview stands for the record (cards), in one query."""
        wanted = {r.pk: (r.data or {}).get("preview_file") for r in records}
        ids = [i for i in wanted.values() if isinstance(i, int)]
        with_preview = set(DataFile.objects.filter(pk__in=ids).exclude(preview="").values_list("pk", flat=True))
        return {record_id: file_id for record_id, file_id in wanted.items() if file_id in with_preview}


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
