"""App config for instrument sessions (label differs from django.contrib.sessions)."""
from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "lims.sessions"
    label = "lims_sessions"
    verbose_name = "Instrument sessions"
