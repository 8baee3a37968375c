"""Methods (a registered, versioned analysis) and runs (one execution of a method on a record's files).

Run states and the allowed transitions (every change goes through `lims.analysis.runs.move`):

    QUEUED  -> RUNNING                        (a supervisor claims it)
    QUEUED  -> CANCELLED                      (cancelled before it started)
    RUNNING -> SUCCEEDED | FAILED | CANCELLED | TIMED_OUT
    RUNNING -> QUEUED                         (its worker died before the child started; the sweep hands it back)
"""
import secrets
import uuid

from django.conf import settings
from django.db import models


class Method(models.Model):
    class Kind(models.TextChoices):
        PYTHON = "python"
        NOTEBOOK = "notebook"
        SNAKEMAKE = "snakemake"

    slug = models.SlugField(max_length=100)
    version = models.CharField(max_length=32)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.CharField(max_length=1024, help_text="Dotted path (python) or stored file (notebook, snakemake).")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    accepts = models.JSONField(default=list, blank=True, help_text="Signal types of the files it reads.")
    param_schema = models.JSONField(default=dict, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, help_text="Of the code or file, to keep it immutable.")
    queue = models.CharField(max_length=64, default="analysis")
    builtin = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-created"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="one_method_per_slug_version")]

    def __str__(self):
        return f"{self.slug} {self.version}"


class Run(models.Model):
    class State(models.TextChoices):
        QUEUED = "QUEUED"
        RUNNING = "RUNNING"
        SUCCEEDED = "SUCCEEDED"
        FAILED = "FAILED"
        CANCELLED = "CANCELLED"
        TIMED_OUT = "TIMED_OUT"

    FINAL_STATES = [State.SUCCEEDED, State.FAILED, State.CANCELLED, State.TIMED_OUT]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="runs")
    record = models.ForeignKey("lims_records.Record", on_delete=models.CASCADE, related_name="runs")
    inputs = models.JSONField(default=list, help_text="[{file_id, name, sha256}] at submission.")
    params = models.JSONField(default=dict, help_text="Canonical parameters, quantities in their declared unit.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="analysis_runs")
    idempotency_key = models.CharField(max_length=64, db_index=True,
                                       help_text="sha256 of method, version, parameters and input hashes.")
    request_key = models.CharField(max_length=100, null=True, blank=True, unique=True,
                                   help_text="Names the request (e.g. a subscription's delivery): one run per key.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    log = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    environment = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    queued = models.DateTimeField(null=True, blank=True, help_text="When the broker accepted it.")
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    state_changed = models.DateTimeField(auto_now_add=True)
    output_session = models.OneToOneField("lims_sessions.Session", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="derived_by")

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.method} on record {self.record_id} ({self.state})"

    def get_absolute_url(self):
        return f"/analysis/runs/{self.pk}/"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    def derivation(self) -> dict:
        """What this run did, for its derived record's XML (see `provenance.derivation`)."""
        from lims.analysis.provenance import derivation

        return derivation(self)

    @property
    def output_record(self):
        session = self.output_session
        return getattr(session, "record", None) if session is not None else None


def _runner_key() -> str:
    return secrets.token_hex(20)


class RunnerToken(models.Model):
    """What a runner on another host presents (`Authorization: Runner <key>`): it may claim and report runs of
    its queue only."""

    name = models.SlugField(max_length=100, unique=True)
    queue = models.CharField(max_length=64)
    key = models.CharField(max_length=64, unique=True, default=_runner_key, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.name} ({self.queue})"
