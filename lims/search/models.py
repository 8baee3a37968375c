"""The search index kept in the database: one document per record, numbered by a change counter.

The index is derived data (`python manage.py reindex` rebuilds it from the records). Every write
takes the next number of `SearchCounter` in its own transaction, so documents become visible in
the order of their numbers, and each web process's engine catches up by reading the documents
numbered above the last one it has seen (`lims.search.engine`).
"""
import uuid

from django.db import models


class SearchDocument(models.Model):
    """What search knows of one record: its text, facet values, numbers, date and who may see it."""

    record_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(unique=True, help_text="Number of the last change; higher is newer.")
    removed = models.BooleanField(default=False, help_text="The record was deleted.")
    start = models.DateTimeField(null=True)
    day = models.IntegerField(default=0, help_text="Proleptic ordinal of the start day in the instrument's zone.")
    timezone = models.CharField(max_length=64, default="UTC")
    # Copies of the session's visibility and account, kept in step by `index.sync_visibility`.
    visibility = models.CharField(max_length=10, default="private")
    account_id = models.IntegerField(null=True)
    # Lowercase tokens in their order; the parts of the record (title first, then notes, each file
    # name ...) are separated by " | ", so a phrase never runs from one part into the next.
    text = models.TextField(blank=True)
    facets = models.JSONField(default=list, blank=True, help_text='[["instrument", "titan"], ...]')
    numbers = models.JSONField(default=dict, blank=True, help_text="{key: [values in SI base units]}")


class SearchCounter(models.Model):
    """One row: the number of the last change, and an epoch that is new whenever the row is made."""

    value = models.BigIntegerField(default=0)
    epoch = models.UUIDField(default=uuid.uuid4)
