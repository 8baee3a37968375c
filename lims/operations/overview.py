"""What the staff overview shows: use per instrument and month, services, disk, fixity, builds that need a hand.

Every figure is aggregated by the database (a few grouped queries, each with a limit), so the page
costs the same at a million files as at ten. The broker and the workers are asked through
`lims.core.health` (a short timeout, the answer kept for HEALTH_CACHE_SECONDS) and so is the
queue depth here.
"""
import shutil
import statistics
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lims.core import health
from lims.operations.models import FixityAudit
from lims.sessions import builds
from lims.sessions.models import DataFile, Session

MONTHS = 12
ERROR_GROUPS = 20
ERROR_DAYS = 30
SESSIONS_LISTED = 50
QUEUE_KEY = "operations:queue-depth"


class Median(Aggregate):
    """PostgreSQL's median (percentile_cont works on intervals too)."""

    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _build_time():
    return ExpressionWrapper(F("record__built") - F("end"), output_field=DurationField())


def _medians(sessions) -> dict:
    """{(pid, month): median time from session end to built record}."""
    key = ("instrument__pid", "month")
    if connection.vendor == "postgresql":
        rows = sessions.filter(record__isnull=False).values(*key).annotate(median=Median(_build_time()))
        return {(row["instrument__pid"], row["month"]): row["median"] for row in rows}
    # SQLite, the single-machine default, has no percentile aggregate: its installations are small.
    found: dict = {}
    for pid, month, took in sessions.filter(record__isnull=False).values_list(*key).annotate(took=_build_time()):
        found.setdefault((pid, month), []).append(took)
    return {group: statistics.median(times) for group, times in found.items()}


def _seconds(took: timedelta | None) -> float | None:
    return None if took is None else took.total_seconds()


def _window_start(now):
    """The first instant of the oldest month shown (MONTHS months, this one included), in TIME_ZONE."""
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start


def monthly(now=None) -> list[dict]:
    """Per instrument and month of the last MONTHS months, newest first: sessions, files, bytes, failures, build."""
    since = _window_start(now or timezone.now())
    sessions = Session.objects.filter(start__gte=since).annotate(month=TruncMonth("start")).order_by()
    counts = sessions.values("instrument__pid", "month").annotate(sessions=Count("id"))
    files = DataFile.objects.filter(session__start__gte=since).annotate(month=TruncMonth("session__start")).order_by()
    per_files = {
        (row["session__instrument__pid"], row["month"]): row
        for row in files.values("session__instrument__pid", "month").annotate(
            files=Count("id"), bytes=Sum("size"), failed=Count("id", filter=~Q(error="")))
    }
    medians = _medians(sessions)
    rows = []
    for row in counts:
        group = (row["instrument__pid"], row["month"])
        found = per_files.get(group, {})
        rows.append({"instrument": group[0], "month": group[1], "sessions": row["sessions"],
                     "files": found.get("files", 0), "bytes": found.get("bytes") or 0,
                     "failed": found.get("failed", 0), "median_build_seconds": _seconds(medians.get(group)),
                     "median_build": duration(_seconds(medians.get(group)))})
    return sorted(rows, key=lambda r: (r["month"], r["instrument"]), reverse=True)


def _month_starts(since, now) -> list:
    months, month = [], since
    while month <= now:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def chart(rows: list[dict], now=None) -> dict:
    """Gigabytes stored per month, one series per instrument, for every month of the window (oldest first)."""
    now = now or timezone.now()
    months = _month_starts(_window_start(now), now)
    instruments = sorted({row["instrument"] for row in rows})
    by_group = {(row["instrument"], row["month"].date()): row["bytes"] for row in rows}
    return {
        "months": [f"{month:%Y-%m}" for month in months],
        "series": [{"label": pid, "values": [round(by_group.get((pid, m.date()), 0) / 1e9, 3) for m in months]}
                   for pid in instruments],
    }


def duration(seconds: float | None) -> str:
    """A build time as people read it: '42 s', '17 min', '3.5 h'; '—' for none."""
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def queue_depth(broker_ok: bool = True) -> int | None:
    """Messages waiting in the broker's queues, kept for HEALTH_CACHE_SECONDS; None when the broker cannot say."""
    if not broker_ok:
        return None
    known = cache.get(QUEUE_KEY)
    if known is not None:
        return known["depth"]
    try:
        depth = builds.queued_messages()
    except Exception:  # noqa: BLE001 - a broker that is away is shown as such
        depth = None
    cache.set(QUEUE_KEY, {"depth": depth}, timeout=settings.HEALTH_CACHE_SECONDS)
    return depth


def disk() -> dict:
    """Free and total bytes on the volume holding DATA_ROOT."""
    path = Path(settings.DATA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return {"path": str(settings.DATA_ROOT), "free": usage.free, "total": usage.total,
            "free_fraction": usage.free / usage.total if usage.total else 0}


def needing_a_hand(now=None) -> dict:
    """Sessions whose build failed, and sessions whose build shows no progress (newest first, limited)."""
    fields = ("id", "instrument__pid", "user", "start", "state", "error", "state_changed")
    failed = Session.objects.filter(state=Session.State.ERROR).select_related("instrument").only(*fields)
    return {"failed": list(failed.order_by("-state_changed")[:SESSIONS_LISTED]),
            "stalled": list(builds.silent(now).select_related("instrument").only(*fields)
                            .order_by("state_changed")[:SESSIONS_LISTED])}


def extraction_errors(now=None) -> list[dict]:
    """The commonest file errors of the last ERROR_DAYS days: message, how many files, when last seen."""
    since = (now or timezone.now()) - timedelta(days=ERROR_DAYS)
    return list(DataFile.objects.filter(created__gte=since).exclude(error="").order_by().values("error")
                .annotate(files=Count("id"), last=Max("created")).order_by("-files", "-last")[:ERROR_GROUPS])


def overview(now=None) -> dict:
    """Everything the page shows."""
    rows = monthly(now)
    services = health.check()
    return {
        "monthly": rows,
        "chart": chart(rows, now),
        "health": services,
        "queue_depth": queue_depth(services["broker"]["ok"]),
        "disk": disk(),
        "audit": FixityAudit.objects.first(),
        **needing_a_hand(now),
        "errors": extraction_errors(now),
    }
