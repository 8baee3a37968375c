"""Fixity audits: when stored files were last re-hashed against their recorded sha256, and what was found."""
from django.db import models
from django.utils import timezone

PROBLEMS_KEPT = 200  # problems listed on an audit; the counts cover all of them


class FixityAudit(models.Model):
    """One run of `verify`: counts of what was checked and found, and the first problems by path."""

    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True, help_text="Only files stored since then were re-hashed.")
    checked = models.PositiveIntegerField(default=0, help_text="Files re-hashed.")
    checked_bytes = models.BigIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unreferenced = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text=f"The first {PROBLEMS_KEPT}: kind and path.")

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"

    def __str__(self):
        return f"fixity audit {self.started:%Y-%m-%d %H:%M}"

    @property
    def ok(self) -> bool:
        return self.finished is not None and not (self.missing or self.changed or self.unreferenced)
