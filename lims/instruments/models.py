"""Instruments: what a facility runs, where its PC and share are, and the token its logger uses."""
import secrets
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

PID_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    "A PID is 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit.",
)


def new_token() -> str:
    return secrets.token_hex(20)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Berlin).")


class Instrument(models.Model):
    """One instrument; its logger authenticates with `api_token` and acts only for it."""

    pid = models.CharField("PID", max_length=64, unique=True, validators=[PID_VALIDATOR])
    name = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    hostname = models.CharField("PC hostname", max_length=255, blank=True)
    share_path = models.CharField(max_length=1024, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    api_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    active = models.BooleanField(default=True)
    # Activity grouping: off switch and sensitivity (larger splits more readily).
    group_activities = models.BooleanField(default=True)
    grouping_sensitivity = models.FloatField(default=1.0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pid"]
        indexes = [models.Index(Lower("hostname"), name="instrument_hostname_ci")]

    def __str__(self):
        return f"{self.pid} ({self.name})"

    def rotate_token(self) -> str:
        self.api_token = new_token()
        self.save(update_fields=["api_token"])
        return self.api_token

    def to_dict(self) -> dict:
        return {
            "pid": self.pid,
            "name": self.name,
            "location": self.location,
            "hostname": self.hostname,
            "share_path": self.share_path,
            "timezone": self.timezone,
        }
