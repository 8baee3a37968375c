"""Experiment records built from sessions, and the per-file extraction cache keyed by content."""
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper


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


class RecordSearch(models.Model):
    """One row per record for full-text search and date sorting, rebuilt by `search.index_record`."""

    record = models.OneToOneField(Record, on_delete=models.CASCADE, primary_key=True, related_name="search")
    start = models.DateTimeField(db_index=True)
    # Copies of the session's visibility and account, so a search never joins sessions; kept in step
    # by `index_record` and by `search.sync_visibility` whenever a session is saved.
    visibility = models.CharField(max_length=10, default="private")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # Space-padded lowercase tokens (" word word "): the text index of the embedded SQLite backend.
    text = models.TextField(blank=True)
    # The same tokens as a tsvector on PostgreSQL (GIN-indexed there; unused elsewhere).
    vector = SearchVectorField(null=True, blank=True)
    # The record's facet values as "facet:value" strings: PostgreSQL counts facets from this row
    # without a join (RecordFacet holds the same values as rows, for filters and for SQLite).
    facets = models.JSONField(default=list, blank=True)
    # The record's numeric parameters in SI base units, {key: [values]}: PostgreSQL checks ranges on
    # this row when words have already narrowed the search (RecordParameter serves the other cases).
    parameters = models.JSONField(default=dict, blank=True)


class RecordFacet(models.Model):
    """One facet value of a record (instrument, experimenter, project, year, month, format, mode)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=255)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value"], name="record_facet_value"),
            models.Index(F("facet"), Upper("value"), name="record_facet_value_ci"),
        ]
        constraints = [models.UniqueConstraint(fields=["record", "facet", "value"], name="one_facet_value_per_record")]


class RecordParameter(models.Model):
    """A numeric metadata value found in any file of a record, in SI base units, for typed ranges."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="parameters")
    key = models.CharField(max_length=40)
    value = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["key", "value"], name="record_parameter_key_value")]
