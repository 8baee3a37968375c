"""App config for shared plumbing: registers the system checks and makes the static folder."""
import contextlib
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "lims.core"
    label = "lims_core"

    def ready(self) -> None:
        from lims.core import checks  # noqa: F401 - registers the system checks

        # Static files are also served from the apps (WHITENOISE_USE_FINDERS); an empty
        # STATIC_ROOT before the first `collectstatic` is normal, not worth a warning per request.
        with contextlib.suppress(OSError):
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
