"""What people changed in a record after its build (`Curation`), and the history of every change (`Edit`).

Sample, project and purpose are edited on the session itself, which every build reads; the title,
the description, file descriptions and the arrangement of files into activities live here and are
applied by every build (`lims.curation.build`), so a rebuild never loses them.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone


class Curation(models.Model):
    """The curated parts of one session's record."""

    session = models.OneToOneField("lims_sessions.Session", on_delete=models.CASCADE, related_name="curation")
    title = models.CharField(max_length=500, blank=True, help_text="Empty: the title the build makes.")
    description = models.TextField(blank=True)
    file_descriptions = models.JSONField(default=dict, blank=True, help_text='{"<file id>": "text"}')
    groups = models.JSONField(
        null=True, blank=True,
        help_text="Activities as people arranged them: [[file id, ...], ...]; null keeps the built grouping.",
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"curation of {self.session_id}"


class Edit(models.Model):
    """One change to a record: who made it, when, and what it was before and after."""

    class Action(models.TextChoices):
        TITLE = "title", "Title"
        DESCRIPTION = "description", "Description"
        SAMPLE = "sample", "Sample"
        PROJECT = "project", "Project"
        PURPOSE = "purpose", "Purpose"
        FILE_DESCRIPTION = "file_description", "File description"
        MOVE_FILE = "move_file", "File moved"
        MERGE = "merge", "Activities merged"
        SPLIT = "split", "Activity split"

    session = models.ForeignKey("lims_sessions.Session", on_delete=models.CASCADE, related_name="edits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the account is removed.")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    target = models.CharField(max_length=1100, blank=True, help_text="The file or activities changed.")
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["session", "-at"], name="edit_session_at")]

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
