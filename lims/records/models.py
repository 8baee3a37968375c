"""Experiment records built from sessions, and the per-file extraction cache keyed by content."""
from collections.abc import Iterator
from pathlib import Path

from django.db import models, transaction

from lims.sessions import objects
from lims.sessions.models import DataFile
from lims.sessions.storage import sha256_of

XML_FOLDER = "records"  # stored XML: records/<session id>/<sha256>.xml


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
    # The XML lives in storage under `xml_key` (`store_xml`); a record built before that keeps its
    # XML in `xml_text` until it is rebuilt. Read it through `xml_chunks` (or `xml`, for small uses).
    xml_text = models.TextField(blank=True)
    xml_key = models.CharField(max_length=300, blank=True,
                               help_text="Storage key of the XML: records/<session>/<sha256>.xml.")
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

    @property
    def xml(self) -> str:
        """The whole XML as text (it can be tens of MB: stream `xml_chunks` instead where size is open)."""
        return b"".join(self.xml_chunks()).decode("utf-8")

    @xml.setter
    def xml(self, text: str) -> None:
        self.xml_text, self.xml_key = text, ""

    def xml_chunks(self) -> Iterator[bytes]:
        """The XML's bytes, a piece at a time, wherever they are kept."""
        if self.xml_key:
            yield from objects.chunks(self.xml_key)
        elif self.xml_text:
            yield self.xml_text.encode("utf-8")

    def xml_size(self) -> int:
        if self.xml_key:
            return objects.size(self.xml_key) or 0
        return len(self.xml_text.encode("utf-8"))

    def store_xml(self, path: Path) -> None:
        """Keep the XML file at `path` (consumed) as this record's, named by its content; the XML it
        replaces is removed once the transaction commits (on a rollback the new file is left over,
        and `lims.operations.inventory.unreferenced` lists it)."""
        key = f"{XML_FOLDER}/{self.session_id}/{sha256_of(path)}.xml"
        objects.put(path, key)
        previous, self.xml_key, self.xml_text = self.xml_key, key, ""
        if previous and previous != key:
            transaction.on_commit(lambda: objects.remove(previous), robust=True)

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
