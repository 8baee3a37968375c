"""Instrument sessions, their event log and the data files they produced.

Session states and the allowed transitions:

    ACTIVE   -> ENDED                 (logger ends it, or the sweeper at the last heartbeat)
    ENDED    -> BUILDING              (a worker claims the build)
    BUILDING -> COMPLETED | NO_FILES | ERROR
    COMPLETED | NO_FILES | ERROR -> ENDED   (an administrator asks for a rebuild, or a file arrives late)
    BUILDING -> ENDED                 (a build that stalled is handed back by the sweeper)

Times sent by a logger (start, heartbeat, end) come from the instrument PC's clock: they are kept
for the record, clamped to sane bounds (`clamp_client_time`), but whether a session is still alive
is judged only by `last_seen`, the server's clock at the last request of its logger.
"""
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone


# How far ahead of the server a client's clock may be before its times are pulled back to now.
CLIENT_CLOCK_SKEW = timedelta(minutes=5)


def clamp_client_time(at, earliest=None, now=None):
    """A time sent by a client, kept within [earliest, now + CLIENT_CLOCK_SKEW]; None stays None."""
    if at is None:
        return None
    now = now or timezone.now()
    at = min(at, now + CLIENT_CLOCK_SKEW)
    return max(at, earliest) if earliest is not None else at


class Visibility(models.TextChoices):
    PRIVATE = "private", "Experimenter and their groups"
    FACILITY = "facility", "Everyone with an account"
    PUBLIC = "public", "Everyone"


class Session(models.Model):
    class State(models.TextChoices):
        ACTIVE = "ACTIVE"
        ENDED = "ENDED"
        BUILDING = "BUILDING"
        COMPLETED = "COMPLETED"
        NO_FILES = "NO_FILES"
        ERROR = "ERROR"

    OPEN_STATES = [State.ACTIVE]
    FINAL_STATES = [State.COMPLETED, State.NO_FILES, State.ERROR]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, help_text="Made by the client.")
    instrument = models.ForeignKey("instruments.Instrument", on_delete=models.PROTECT, related_name="sessions")
    user = models.CharField("experimenter", max_length=150)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="lims_sessions"
    )
    start = models.DateTimeField(default=timezone.now)
    end = models.DateTimeField(null=True, blank=True)
    last_heartbeat = models.DateTimeField(null=True, blank=True, help_text="Client's clock, clamped.")
    last_seen = models.DateTimeField(default=timezone.now, help_text="Server's clock at the logger's last request.")
    sample = models.CharField(max_length=255, blank=True)
    sample_id = models.CharField(max_length=255, blank=True)
    sample_description = models.TextField(blank=True)
    project = models.CharField(max_length=255, blank=True)
    purpose = models.TextField(blank=True)
    collaborators = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE, db_index=True)
    error = models.TextField(blank=True)
    state_changed = models.DateTimeField(default=timezone.now)
    build_attempts = models.PositiveIntegerField(default=0)
    # The build's outbox and pulse (see lims/sessions/builds.py): empty build_queued while a build
    # is owed to the broker; build_progress moves while a worker is busy with the build.
    build_queued = models.DateTimeField(null=True, blank=True, help_text="When the broker accepted the build.")
    build_progress = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the build.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            # At most one open session per instrument, enforced by the database itself.
            models.UniqueConstraint(
                fields=["instrument"], condition=models.Q(state="ACTIVE"), name="one_active_session_per_instrument"
            )
        ]

    def __str__(self):
        return f"{self.instrument.pid} {self.start:%Y-%m-%d %H:%M} {self.user}"

    @property
    def storage_dir(self):
        """Folder of this session's files: DATA_ROOT/<instrument>/<yyyy>/<session>/."""
        return settings.DATA_ROOT / self.instrument.pid / f"{self.start:%Y}" / str(self.id)

    @property
    def record_url(self) -> str:
        """Absolute URL of the record, or of the page that redirects to it once it is built."""
        try:
            return f"{settings.SITE_URL}/records/{self.record.pk}/"
        except ObjectDoesNotExist:
            return f"{settings.SITE_URL}/records/session/{self.pk}/"

    FILE_COUNTS = {
        "uploaded": models.Count("files"),
        "extracted": models.Count("files", filter=models.Q(files__extracted=True, files__error="")),
        "failed": models.Count("files", filter=~models.Q(files__error="")),
    }

    def file_counts(self) -> dict:
        """How many files arrived, were read without error, and failed extraction.

        Lists annotate these as `files_<key>` (see FILE_COUNTS) to avoid one query per session.
        """
        if hasattr(self, "files_uploaded"):
            return {key: getattr(self, f"files_{key}") for key in self.FILE_COUNTS}
        counts = Session.objects.filter(pk=self.pk).aggregate(**self.FILE_COUNTS)
        return {key: counts[key] or 0 for key in self.FILE_COUNTS}

    def _move(self, from_states, to_state, **fields) -> bool:
        """Change state only if the row is still in one of `from_states`; True when this call did it."""
        now = timezone.now()
        changed = Session.objects.filter(pk=self.pk, state__in=from_states).update(
            state=to_state, state_changed=now, **fields
        )
        if changed:
            self.state = to_state
            self.state_changed = now
            for name, value in fields.items():
                setattr(self, name, value)
        return changed == 1

    def end_now(self, at=None) -> bool:
        """ACTIVE -> ENDED at `at` (default now, clamped to [start, now]); the build is then owed.

        False if it was not active."""
        at = clamp_client_time(at or timezone.now(), earliest=self.start)
        return self._move([self.State.ACTIVE], self.State.ENDED, end=at, build_queued=None, build_progress=None)

    def claim_build(self) -> bool:
        """ENDED -> BUILDING; exactly one worker wins."""
        return self._move([self.State.ENDED], self.State.BUILDING, error="")

    def finish_build(self, state: str, error: str = "") -> bool:
        return self._move([self.State.BUILDING], state, error=error)

    def request_rebuild(self) -> bool:
        """COMPLETED | NO_FILES | ERROR | BUILDING -> ENDED, owing a build again."""
        return self._move([*self.FINAL_STATES, self.State.BUILDING], self.State.ENDED, error="",
                          build_queued=None, build_progress=None)


class SessionEvent(models.Model):
    class Kind(models.TextChoices):
        START = "START"
        END = "END"
        HEARTBEAT = "HEARTBEAT"
        NOTE = "NOTE"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class DataFile(models.Model):
    """One file of a session, as stored under the session's folder, and what was read from it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    relative_path = models.CharField(max_length=1024)
    version = models.PositiveIntegerField(default=1, help_text="Raised when a file changes after upload.")
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    mtime = models.DateTimeField(null=True, blank=True)
    format = models.CharField(max_length=64, blank=True)
    extractor = models.CharField(max_length=64, blank=True)
    signal_type = models.CharField(max_length=32, blank=True)
    acquired = models.DateTimeField(null=True, blank=True, help_text="Acquisition time from metadata, else mtime.")
    metadata = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    preview = models.CharField(max_length=1024, blank=True, help_text="Path relative to DATA_ROOT.")
    error = models.TextField(blank=True)
    extracted = models.BooleanField(default=False)
    stored_as = models.CharField(
        max_length=1024, blank=True,
        help_text="Name under the session folder when the file's own name cannot be used there (see storage_name).",
    )
    activity = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["acquired", "relative_path", "version"]
        constraints = [
            models.UniqueConstraint(fields=["session", "relative_path", "version"], name="one_file_per_path_version")
        ]

    def __str__(self):
        return self.relative_path

    @property
    def stored_name(self) -> str:
        """Name under the session folder; later versions keep the extension: a.dm3 -> a.v2.dm3."""
        if self.version == 1:
            return self.relative_path
        stem, dot, ext = self.relative_path.rpartition(".")
        return f"{stem}.v{self.version}.{ext}" if dot and "/" not in ext else f"{self.relative_path}.v{self.version}"

    @property
    def storage_name(self) -> str:
        """Where the bytes are under the session folder: `stored_as` when set, else `stored_name`."""
        return self.stored_as or self.stored_name

    @property
    def absolute_path(self):
        """Its file under DATA_ROOT when bytes are kept there (without STORAGE_URL); see `storage_key`."""
        return self.session.storage_dir / self.storage_name

    @property
    def storage_key(self) -> str:
        """The key of its bytes (`lims.sessions.objects`): `<instrument>/<yyyy>/<session>/<storage_name>`."""
        return f"{self.session.instrument.pid}/{self.session.start:%Y}/{self.session_id}/{self.storage_name}"
