"""WSGI entry point: `gunicorn lims.wsgi` serves the site."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")
application = get_wsgi_application()
