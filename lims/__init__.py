"""The LIMS Django project: settings, URLs, Celery wiring and one app per area."""
from lims.celery import app as celery_app

__all__ = ["celery_app"]
