"""System checks that refuse dangerous settings combinations (ids lims.E001... and lims.W001)."""
import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from lims.sessions.objects import parse_url

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}


def _is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def _is_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@register(Tags.security)
def check_debug_is_local(app_configs=None, **kwargs) -> list:
    """DEBUG shows settings and code to anyone who triggers an error: only on local addresses."""
    public = sorted(set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS)
    if settings.DEBUG and public:
        return [Error(
            f"DEBUG is on while the site answers for {', '.join(public)}.",
            hint="Set DEBUG=false, or limit ALLOWED_HOSTS to localhost for development.",
            id="lims.E001",
        )]
    return []


@register(Tags.security)
def check_secret_key_is_set(app_configs=None, **kwargs) -> list:
    """Production (DEBUG off on a database server) must not sign sessions with the public default key."""
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY and not settings.DEBUG and not _is_sqlite():
        return [Error(
            "SECRET_KEY is the built-in development key while running in production.",
            hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, e.g. "
                 "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
            id="lims.E002",
        )]
    return []


@register()
def check_workers_configured(app_configs=None, **kwargs) -> list:
    """On PostgreSQL (a real deployment) record builds belong on workers, not in the web process."""
    if settings.CELERY_TASK_ALWAYS_EAGER and _is_postgresql():
        return [Warning(
            "Celery runs tasks in the web process (no CELERY_BROKER_URL) on a PostgreSQL deployment.",
            hint="Set CELERY_BROKER_URL (e.g. redis://redis:6379/0) and run `celery -A lims worker` "
                 "and `celery -A lims beat`.",
            id="lims.W001",
        )]
    return []


@register()
def check_data_root_writable(app_configs=None, **kwargs) -> list:
    """Uploads would fail one by one if DATA_ROOT (or the folder it will be made in) is read-only."""
    data_root = Path(settings.DATA_ROOT)
    existing = _nearest_existing(data_root)
    if existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        return []
    where = "it" if existing == data_root else f"its parent {existing}"
    return [Error(
        f"DATA_ROOT {data_root} is not writable: {where} is not a writable folder.",
        hint="Point DATA_ROOT at a writable folder (in Docker: the data volume) or fix its owner.",
        id="lims.E003",
    )]


@register()
def check_storage_url(app_configs=None, **kwargs) -> list:
    """A STORAGE_URL that names no bucket would fail every upload, one by one."""
    if not settings.STORAGE_URL:
        return []
    try:
        parse_url(settings.STORAGE_URL)
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="Set STORAGE_URL to s3://bucket/prefix, or leave it empty to keep files "
                                     "under DATA_ROOT.", id="lims.E004")]
    return []
