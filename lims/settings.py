"""Django settings, read top to bottom from environment variables (see docs/configuration.md).

With nothing set the product runs on its embedded default: SQLite in var/, files in var/data,
and Celery tasks executed in-process, so no services are needed.
"""
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
import dj_email_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from lims.env import env_bool, env_int, env_list, env_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# The embedded default's key; system check lims.E002 refuses it in production.
DEV_SECRET_KEY = "insecure-dev-key-change-me"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
# The container health check and tools on the host itself call the site as localhost.
ALLOWED_HOSTS += [host for host in ("127.0.0.1", "localhost") if host not in ALLOWED_HOSTS]
# The facility's name and logo, shown on every page (the logo: a URL such as /static/logo.png).
FACILITY_NAME = env_secret("FACILITY_NAME", "LIMS")
FACILITY_LOGO_URL = env_secret("FACILITY_LOGO_URL", "")
# Public address of the site, used in links handed to loggers and in e-mails.
SITE_URL = env_secret("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Origins allowed to POST forms (scheme://host[:port]); the site's own address is always allowed.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, trust it (opt-in: spoofable otherwise).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "lims.core",
    "lims.instruments",
    "lims.sessions",
    "lims.uploads",
    "lims.records",
    "lims.search",
    "lims.curation",
    "lims.operations",
    "lims.searches",
    "lims.events",
    "lims.webhooks",
    "lims.mail",
    "lims.subscriptions",
    "lims.analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: locks out clients that guess passwords on the login pages.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lims.urls"
WSGI_APPLICATION = "lims.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lims" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lims.core.context.facility",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lims.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is checked before each request reuses it, so a database restart costs no 500s.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while a build writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out client before its password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/records/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_secret("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "lims" / "static"]
STATIC_ROOT = Path(env_secret("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve app static files without `collectstatic` too, so the embedded default needs no build step.
WHITENOISE_USE_FINDERS = True

# Where uploaded files, previews and records live: DATA_ROOT/<instrument>/<yyyy>/<session>/...
# Created on first write; system check lims.E003 says when it cannot be.
DATA_ROOT = Path(env_secret("DATA_ROOT", str(VAR_DIR / "data")))
# Keep data files and previews in an S3-compatible store, s3://bucket/prefix, instead of under DATA_ROOT
# (which then holds only upload staging and caches). Credentials come from boto3's usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_DEFAULT_REGION (or a role).
STORAGE_URL = env_secret("STORAGE_URL", "")
# The store's address for S3-compatible stores other than AWS (MinIO, Ceph ...); empty: AWS itself.
AWS_S3_ENDPOINT_URL = env_secret("AWS_S3_ENDPOINT_URL", "")
# With STORAGE_URL, files read for extraction and plots are kept in DATA_ROOT/cache/objects/ up to
# this many MiB; the least recently used go first.
STORAGE_CACHE_MB = env_int("STORAGE_CACHE_MB", 10240)
# `manage.py doctor` fails when the volume holding DATA_ROOT has less free space than this, in GiB.
DATA_ROOT_MIN_FREE_GB = env_int("DATA_ROOT_MIN_FREE_GB", 10)
# Largest single upload accepted, in bytes (default 200 GiB).
UPLOAD_MAX_SIZE = env_int("UPLOAD_MAX_SIZE", 200 * 1024**3)
# Largest record XML accepted by the parser, in bytes.
RECORD_MAX_BYTES = env_int("RECORD_MAX_BYTES", 512 * 1024**2)
# A session whose logger is silent this long (by the server's clock) is ended at its last heartbeat.
SESSION_SILENCE_MINUTES = env_int("SESSION_SILENCE_MINUTES", 60)
# A build with no sign of progress this long, while nothing waits in the queues, is queued again.
BUILD_STALL_SECONDS = env_int("BUILD_STALL_SECONDS", 120)
# Per-file limits for metadata extraction and previews.
EXTRACT_TIME_LIMIT = env_int("EXTRACT_TIME_LIMIT", 300)
EXTRACT_MEMORY_LIMIT_MB = env_int("EXTRACT_MEMORY_LIMIT_MB", 4096)
# Also take files from an instrument's share path written during the session (see lims/sessions/collect.py).
COLLECT_FROM_SHARE = env_bool("COLLECT_FROM_SHARE", False)
# Read each file as it arrives in an active session (live page, the logger's "extracted" count); when off,
# files are read only by the build at the end, which spares busy workers during sessions.
EXTRACT_DURING_SESSION = env_bool("EXTRACT_DURING_SESSION", True)
# A share file is taken only once it has not changed for this many seconds.
SHARE_SETTLE_SECONDS = env_int("SHARE_SETTLE_SECONDS", 60)
# Heavy files are read by workers of the queue "heavy" (see lims/records/routing.py): files of at least this
# many MiB, and files of these extensions (spectrum images, 4D datasets) or already read as such.
EXTRACT_HEAVY_MB = env_int("EXTRACT_HEAVY_MB", 512)
EXTRACT_HEAVY_EXTENSIONS = env_list("EXTRACT_HEAVY_EXTENSIONS",
                                    [".bcf", ".emd", ".mib", ".blo", ".spd", ".prz", ".hspy", ".zspy"])

# Reverse proxies in front of the site that append the client's address to X-Forwarded-For (0: none,
# the connection's own address is the client's). Login lock-out and token throttling count per client.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

# Password guessing on the login pages (the site's and the admin's): django-axes locks a user name
# out from one address after LOGIN_FAILURE_LIMIT wrong passwords, for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "lims.core.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lims.core.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "lims.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lims.core.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "lims.core.exceptions.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXIES,
    # Invalid API tokens one client address may send (lims.core.throttling).
    "DEFAULT_THROTTLE_RATES": {"token_guess": env_secret("TOKEN_FAILURE_RATE", "20/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LIMS API",
    "DESCRIPTION": "Instruments, sessions, resumable uploads and experiment records.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # drf-spectacular leaves HEAD and OPTIONS out; the tus endpoints need them documented.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lims.uploads.schema.add_tus_operations",
    ],
}

# Celery. With no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_secret("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env_secret("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or "cache+memory://")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# Two queues for record builds: "celery" (ingest, light files, the build's other steps) and "heavy" (the
# extraction of heavy files). A worker started without -Q serves both; `-Q celery` never takes heavy work.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery", routing_key="celery"), Queue("heavy", routing_key="heavy"))
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_RESULT_EXPIRES = 24 * 3600
# Nothing reads task results (the database holds every outcome), so sending a task never waits on
# the result store: with the broker down, queueing fails at once and the build stays owed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 2 * 1024 * 1024)
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 60)
OUTBOX_INTERVAL_SECONDS = env_int("OUTBOX_INTERVAL_SECONDS", 60)
WEBHOOK_POLL_SECONDS = env_int("WEBHOOK_POLL_SECONDS", 15)
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)  # UTC hour of the daily digest e-mail
CELERY_BEAT_SCHEDULE = {
    "sweep-sessions": {
        "task": "lims.sessions.tasks.sweep_sessions",
        "schedule": SWEEP_INTERVAL_SECONDS,
        # Sweeps that piled up while no worker ran are dropped, not run one after another.
        "options": {"expires": SWEEP_INTERVAL_SECONDS},
    },
    # Events, subscription deliveries and webhook messages that were not handed on, or are due again.
    "redispatch-events": {"task": "lims.events.tasks.redispatch_events", "schedule": OUTBOX_INTERVAL_SECONDS,
                          "options": {"expires": OUTBOX_INTERVAL_SECONDS}},
    "retry-deliveries": {"task": "lims.subscriptions.tasks.retry_deliveries", "schedule": OUTBOX_INTERVAL_SECONDS,
                         "options": {"expires": OUTBOX_INTERVAL_SECONDS}},
    "send-due-webhooks": {"task": "lims.webhooks.tasks.send_due_messages", "schedule": WEBHOOK_POLL_SECONDS,
                          "options": {"expires": WEBHOOK_POLL_SECONDS}},
    "mail-digests": {"task": "lims.mail.tasks.send_digests", "schedule": crontab(hour=DIGEST_HOUR, minute=0)},
}
# The fixity audit (`manage.py verify`) as a crontab line: minute hour day-of-month month day-of-week,
# in TIME_ZONE (default Sundays at 03:30); "off" switches it off.
FIXITY_AUDIT_CRONTAB = env_secret("FIXITY_AUDIT_CRONTAB", "30 3 * * 0")
if FIXITY_AUDIT_CRONTAB.lower() != "off":
    try:
        _fixity_schedule = crontab.from_string(FIXITY_AUDIT_CRONTAB)
    except (ValueError, IndexError) as exc:
        raise ImproperlyConfigured(f"FIXITY_AUDIT_CRONTAB={FIXITY_AUDIT_CRONTAB!r} is not a crontab line such as "
                                   f"'30 3 * * 0' ({exc}); use off to switch the audit off") from None
    CELERY_BEAT_SCHEDULE["fixity-audit"] = {
        "task": "lims.operations.tasks.fixity_audit", "schedule": _fixity_schedule,
        # An audit missed while no worker ran is dropped after a few hours, not run at a busy time.
        "options": {"expires": 6 * 3600},
    }

# Analysis (lims/analysis): built-in methods, slug -> {"kind": "python", "target": dotted module}. A
# facility adds its own with `manage.py publish_method`.
ANALYSIS_METHODS = {
    "image-stats": {"kind": "python", "target": "lims.analysis.methods.image_stats"},
    "fft-power-spectrum": {"kind": "python", "target": "lims.analysis.methods.fft_power_spectrum"},
    "radial-profile": {"kind": "python", "target": "lims.analysis.methods.radial_profile"},
    "spectrum-peaks": {"kind": "python", "target": "lims.analysis.methods.spectrum_peaks"},
}
# Limits of one run's child process: wall time, address space, bytes written as outputs.
ANALYSIS_TIME_LIMIT = env_int("ANALYSIS_TIME_LIMIT", 3600)
ANALYSIS_MEMORY_LIMIT_MB = env_int("ANALYSIS_MEMORY_LIMIT_MB", 4096)
ANALYSIS_OUTPUT_LIMIT_MB = env_int("ANALYSIS_OUTPUT_LIMIT_MB", 1024)
# A RUNNING run whose supervisor has not reported for this long lost its worker and is failed.
ANALYSIS_HEARTBEAT_TIMEOUT = env_int("ANALYSIS_HEARTBEAT_TIMEOUT", 60)
# A QUEUED run sent this long ago while its queue is empty lost its message and is sent again.
ANALYSIS_REQUEUE_SECONDS = env_int("ANALYSIS_REQUEUE_SECONDS", 300)
# Runs go to their method's queue ("analysis" for the built-ins; see lims.analysis.services.send_run), served
# by workers started with `-Q analysis`, so analysis never delays record builds. Runs of any other queue are
# claimed by runners on other hosts (`python -m lims_client.runner`).
ANALYSIS_CELERY_QUEUES = env_list("ANALYSIS_CELERY_QUEUES", ["analysis"])
CELERY_BEAT_SCHEDULE["sweep-runs"] = {
    "task": "lims.analysis.tasks.sweep_runs",
    "schedule": SWEEP_INTERVAL_SECONDS,
    "options": {"expires": SWEEP_INTERVAL_SECONDS},
}

# Caches shared by every web and worker process: throttle counters, health status. Defaults to
# the broker's Redis; without one, each process keeps its own in memory.
CACHE_URL = env_secret("CACHE_URL", CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                "KEY_PREFIX": "lims", "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# /healthz asks the broker and the workers at most this often; calls in between read the cached answer.
HEALTH_CACHE_SECONDS = env_int("HEALTH_CACHE_SECONDS", 30)

# E-mail (password resets): EMAIL_URL such as smtp://user:password@mail.example.org:587/?tls=True
# (or smtps://...:465). Without it, mail is only printed to the log and password reset by e-mail
# is switched off, saying so.
EMAIL_URL = env_secret("EMAIL_URL", "")
EMAIL_CONFIGURED = bool(EMAIL_URL)
_EMAIL = dj_email_url.parse(EMAIL_URL or "console://")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _EMAIL["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _EMAIL["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _EMAIL["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _EMAIL["EMAIL_TIMEOUT"] or 10
DEFAULT_FROM_EMAIL = env_secret("DEFAULT_FROM_EMAIL", "lims@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Everything goes to stderr (collected by Docker or systemd); LOG_LEVEL sets the threshold.
LOG_LEVEL = env_secret("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy on every page (django-csp): scripts and styles from this site only (the
# API docs add inline styles), nothing framed, forms posted only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Webhooks: hosts (names or addresses) that may be private or loopback, e.g. an intranet receiver;
# the delays between retries of a message that was not answered with 2xx (seconds).
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", [])
WEBHOOK_RETRY_SECONDS = [int(seconds) for seconds in
                         env_list("WEBHOOK_RETRY_SECONDS", ["60", "300", "1800", "7200", "28800", "86400"])]
