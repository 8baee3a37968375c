"""App config for mail: "your record is ready", subscription and endpoint e-mails, daily digests, preferences."""
from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "lims.mail"
    label = "mail"
    verbose_name = "E-mail"
