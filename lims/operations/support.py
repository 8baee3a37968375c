"""A support bundle: versions, settings, doctor's findings, health and recent errors, with every secret taken out.

Secrets are removed twice: settings whose name says secret (key, password, token...) are replaced
whole, and passwords inside URLs are masked; then every text written into the bundle is scrubbed of
the secret values themselves, so a secret quoted in a log line or an error message does not leak.
"""
import json
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections import deque
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from lims.core import health
from lims.operations import doctor, overview
from lims.operations.models import FixityAudit

REDACTED = "********"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PRIVATE|SIGNATURE", re.IGNORECASE)
URL_PASSWORD = re.compile(r"(?P<start>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@/\s]+)(?P<end>@)", re.IGNORECASE)
PACKAGES = ["Django", "celery", "kombu", "redis", "psycopg", "djangorestframework", "gunicorn", "rosettasciio"]
LOG_LINES = 5000
MIN_SECRET_LENGTH = 4  # shorter values are not scrubbed from free text (they would mangle it)


def redact(value, name: str = ""):
    """A settings value safe to show: secret-named entries replaced, URL passwords masked, the rest as text."""
    if name and SECRET_NAME.search(name) and value not in ("", None, [], {}):
        return REDACTED
    if isinstance(value, dict):
        return {str(key): redact(item, str(key)) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return URL_PASSWORD.sub(rf"\g<start>{REDACTED}\g<end>", str(value))
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return URL_PASSWORD.sub(rf"\g<start>{REDACTED}\g<end>", str(value))


def _secret_values(value, name: str = "") -> set[str]:
    """Every secret string found in a settings value (secret-named entries and URL passwords)."""
    if isinstance(value, dict):
        return set().union(*(_secret_values(item, str(key)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return set().union(*(_secret_values(item, name) for item in value))
    found = set()
    if isinstance(value, str):
        value = str(value)  # lazy strings too
        if name and SECRET_NAME.search(name):
            found.add(value)
        found |= {match.group("password") for match in URL_PASSWORD.finditer(value)}
    return {secret for secret in found if len(secret) >= MIN_SECRET_LENGTH}


def secrets() -> set[str]:
    return set().union(*(_secret_values(getattr(settings, name), name) for name in dir(settings) if name.isupper()))


def scrub(text: str, known: set[str]) -> str:
    """`text` with every known secret value (longest first) and every URL password replaced."""
    for secret in sorted(known, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return URL_PASSWORD.sub(rf"\g<start>{REDACTED}\g<end>", text)


def settings_view() -> dict:
    return {name: redact(getattr(settings, name), name) for name in sorted(dir(settings)) if name.isupper()}


def _tool_version(name: str) -> str | None:
    path = shutil.which(name)
    if not path:
        return None
    return subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                              timeout=10)
    except OSError:
        return None
    return done.stdout.strip() or None


def versions() -> dict:
    from records.process import EXTRACTOR_VERSION

    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    try:
        connection.ensure_connection()
        server = (f"PostgreSQL {connection.pg_version}" if connection.vendor == "postgresql"
                  else f"SQLite {sqlite3.sqlite_version}")
    except Exception as exc:  # noqa: BLE001 - the bundle is most needed when the database is away
        server = f"unreachable: {exc}"
    return {"python": sys.version, "platform": platform.platform(), "commit": _commit(), "packages": packages,
            "extractor_version": EXTRACTOR_VERSION, "database": server, "pg_dump": _tool_version("pg_dump")}


def _problems() -> dict:
    hand = overview.needing_a_hand()
    audit = FixityAudit.objects.first()
    return {
        "failed_sessions": [{"id": str(s.pk), "instrument": s.instrument.pid, "state": s.state, "error": s.error,
                             "since": s.state_changed.isoformat()} for s in hand["failed"]],
        "stalled_sessions": [{"id": str(s.pk), "instrument": s.instrument.pid, "state": s.state,
                              "since": s.state_changed.isoformat()} for s in hand["stalled"]],
        "extraction_errors": [{**row, "last": row["last"].isoformat()} for row in overview.extraction_errors()],
        "last_fixity_audit": audit and {"started": audit.started.isoformat(), "ok": audit.ok,
                                        "missing": audit.missing, "changed": audit.changed,
                                        "unreferenced": audit.unreferenced, "problems": audit.problems[:20]},
    }


def _safely(make):
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - one part failing still leaves a useful bundle
        return {"error": f"{type(exc).__name__}: {exc}"}


def _tail(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "".join(deque(handle, maxlen=LOG_LINES))


def write(out: Path, logs: list[Path] = ()) -> list[str]:
    """Write the bundle to `out` (a zip, replaced if present); returns the names inside it."""
    known = secrets()
    parts = {
        "versions.json": json.dumps(_safely(versions), indent=2),
        "settings.json": json.dumps(settings_view(), indent=2),
        "doctor.txt": _safely(lambda: doctor.report(doctor.run())),
        "health.json": json.dumps(_safely(health.check), indent=2),
        "problems.json": json.dumps(_safely(_problems), indent=2),
    }
    for number, log in enumerate(logs, start=1):
        parts[f"logs/{number}-{Path(log).name}"] = _tail(log)
    parts["README.txt"] = (f"Support bundle made {timezone.now().isoformat()} by `manage.py support_bundle`.\n"
                           f"Secrets were removed: settings named like secrets read {REDACTED}, and so does any "
                           f"secret value or URL password found in the other files.\n")
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, text in parts.items():
            bundle.writestr(name, scrub(text if isinstance(text, str) else json.dumps(text, indent=2), known))
    partial.replace(out)
    return list(parts)
