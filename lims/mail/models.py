"""Each person's choice of e-mails, and the notices owed to them (one per person, record and kind)."""
from django.conf import settings
from django.db import models


class Preference(models.Model):
    class ReadyMail(models.TextChoices):
        EACH = "each", "An e-mail for each record"
        DIGEST = "digest", "One e-mail a day listing them"
        OFF = "off", "No e-mail"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference")
    record_ready = models.CharField(max_length=10, choices=ReadyMail.choices, default=ReadyMail.EACH,
                                    verbose_name="When my record is ready")


class Notice(models.Model):
    """A record that is ready, owed to one person: sent at once, or with the next digest (`sent` empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    record = models.ForeignKey("lims_records.Record", on_delete=models.CASCADE, related_name="notices")
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "record"], name="one_ready_notice_per_record")]
