"""Preflight checks a facility runs after installing or upgrading: each says what is wrong and how to fix it.

`run()` makes every check in order; each returns a `Finding`. An ERROR means the installation will
not work as it should (`manage.py doctor` exits non-zero); a WARNING is worth knowing.
The broker and the workers are asked afresh (not the cached answer /healthz gives).
"""
import contextlib
import os
import smtplib
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host

from lims.core import health
from lims.core.checks import LOCAL_HOSTS

OK, WARNING, ERROR = "ok", "warning", "error"
MARKS = {OK: "ok", WARNING: "WARNING", ERROR: "ERROR"}
# Django's own measure of a strong key (its check security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_CHARACTERS = 5
SMTP_TIMEOUT = 5


@dataclass(frozen=True)
class Finding:
    name: str
    status: str
    detail: str
    fix: str = ""


def _eager() -> bool:
    return settings.CELERY_TASK_ALWAYS_EAGER


def database() -> Finding:
    answer = health.database()
    if answer["ok"]:
        return Finding("database", OK, f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} answers")
    return Finding("database", ERROR, f"the database does not answer: {answer['error']}",
                   "Check DATABASE_URL (host, port, name, user, password) and that the database server runs.")


def _services() -> dict:
    return health.ask_broker_and_workers()


def broker(services=None) -> Finding:
    if _eager():
        return Finding("broker", WARNING, "no broker: tasks run inside the web process",
                       "For more than a trial, set CELERY_BROKER_URL (e.g. redis://redis:6379/0) and run workers.")
    answer = (services or _services())["broker"]
    if answer["ok"]:
        return Finding("broker", OK, "the broker answers")
    return Finding("broker", ERROR, f"the broker at CELERY_BROKER_URL does not answer: {answer['error']}",
                   "Check CELERY_BROKER_URL and that Redis runs and is reachable from here.")


def workers(services=None) -> Finding:
    if _eager():
        return Finding("workers", OK, "tasks run inside the web process")
    answer = (services or _services())["workers"]
    if answer["ok"]:
        return Finding("workers", OK, f"{answer['count']} answered: {', '.join(answer['names'])}")
    return Finding("workers", ERROR, f"no worker: {answer['error']}",
                   "Start `celery -A lims worker` (in Docker: the worker service) with the same settings.")


def scheduler() -> Finding:
    if _eager():
        return Finding("scheduler", WARNING, "no scheduler without a broker: silent sessions are not ended",
                       "Set CELERY_BROKER_URL and run `celery -A lims beat`.")
    answer = health.scheduler()
    if answer["ok"]:
        return Finding("scheduler", OK, f"the last sweep ran at {answer['last_sweep']}")
    return Finding("scheduler", ERROR, f"no recent heartbeat of the scheduler: {answer['error']}",
                   "Run exactly one `celery -A lims beat` (in Docker: the beat service) and a worker.")


def data_root() -> Finding:
    root = Path(settings.DATA_ROOT)
    probe = root / f".doctor-{uuid.uuid4().hex}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"probe")
    except OSError as exc:
        return Finding("data root", ERROR, f"cannot write in DATA_ROOT {root}: {exc}",
                       "Point DATA_ROOT at a writable folder (in Docker: the data volume) owned by the service's user.")
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
    usage = os.statvfs(root)
    free = usage.f_bavail * usage.f_frsize
    wanted = settings.DATA_ROOT_MIN_FREE_GB * 1024**3
    if free < wanted:
        return Finding("data root", ERROR, f"only {free / 1024**3:.1f} GiB free in {root} "
                       f"(DATA_ROOT_MIN_FREE_GB is {settings.DATA_ROOT_MIN_FREE_GB})",
                       "Free space or move DATA_ROOT to a larger volume; uploads fail when the disk is full.")
    return Finding("data root", OK, f"{root} is writable, {free / 1024**3:.1f} GiB free")


def email() -> Finding:
    if not settings.EMAIL_CONFIGURED:
        return Finding("e-mail", WARNING, "no EMAIL_URL: password reset by e-mail is off",
                       "Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=True.")
    if not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return Finding("e-mail", OK, f"mail goes to {settings.EMAIL_BACKEND}")
    kind = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
    try:
        with kind(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=SMTP_TIMEOUT) as server:
            if settings.EMAIL_USE_TLS:
                server.starttls()
            if settings.EMAIL_HOST_USER:
                server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            server.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return Finding("e-mail", ERROR, f"the mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} refused: {exc}",
                       "Check EMAIL_URL (host, port, user, password, ?tls=True or smtps://).")
    return Finding("e-mail", OK, f"the mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} accepts us")


def secret_key() -> Finding:
    key = settings.SECRET_KEY
    fix = "Set SECRET_KEY (or SECRET_KEY_FILE) to `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    if key == settings.DEV_SECRET_KEY:
        return Finding("SECRET_KEY", ERROR, "SECRET_KEY is the built-in development key, known to everyone", fix)
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_CHARACTERS:
        return Finding("SECRET_KEY", ERROR, f"SECRET_KEY is weak: {len(key)} characters, {len(set(key))} different "
                       f"(at least {SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_CHARACTERS})", fix)
    return Finding("SECRET_KEY", OK, "long and varied")


def site_address() -> Finding:
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return Finding("SITE_URL", ERROR, f"SITE_URL {settings.SITE_URL} names {host}, which ALLOWED_HOSTS "
                       f"({', '.join(settings.ALLOWED_HOSTS)}) does not allow: links in e-mails and loggers fail",
                       f"Add {host} to ALLOWED_HOSTS, or set SITE_URL to the address people use.")
    public = set(settings.ALLOWED_HOSTS) - LOCAL_HOSTS - {"*"}
    if host in LOCAL_HOSTS and public:
        return Finding("SITE_URL", WARNING, f"SITE_URL is {settings.SITE_URL} while the site answers for "
                       f"{', '.join(sorted(public))}: links handed out point at this machine only",
                       "Set SITE_URL to the public address, e.g. https://lims.example.org.")
    return Finding("SITE_URL", OK, f"{settings.SITE_URL} is allowed")


def secure_cookies() -> Finding:
    if not settings.SITE_URL.startswith("https://"):
        host = urlsplit(settings.SITE_URL).hostname or ""
        if host in LOCAL_HOSTS:
            return Finding("TLS", OK, "served on this machine only")
        return Finding("TLS", WARNING, f"SITE_URL {settings.SITE_URL} is not https: passwords and tokens cross "
                       "the network in clear", "Put a TLS proxy in front and set SITE_URL to https://...")
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        return Finding("TLS", ERROR, "the site is served over https but its cookies may be sent over plain http",
                       "Set SECURE_COOKIES=true.")
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return Finding("TLS", WARNING, "behind a TLS proxy the site cannot tell https requests from http ones",
                       "Set TRUST_X_FORWARDED_PROTO=true when the proxy sets X-Forwarded-Proto (and strips it "
                       "from clients).")
    return Finding("TLS", OK, "https with secure cookies")


def run() -> list[Finding]:
    """Every check, in order; the broker and workers are asked once."""
    services = None if _eager() else _services()
    return [database(), broker(services), workers(services), scheduler(), data_root(), email(), secret_key(),
            site_address(), secure_cookies()]


def report(findings: list[Finding]) -> str:
    """The findings as text, one line each, with the fix under anything that is not ok."""
    lines = []
    for finding in findings:
        lines.append(f"[{MARKS[finding.status]}] {finding.name}: {finding.detail}")
        if finding.fix and finding.status != OK:
            lines.append(f"    fix: {finding.fix}")
    return "\n".join(lines)
