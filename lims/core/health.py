"""Health of the parts a record needs: database, broker, workers and the scheduler, cheaply.

The database is asked on every call (one `SELECT 1`). The broker and the workers are asked at most
once per HEALTH_CACHE_SECONDS, by one caller at a time; every other call reads the answer kept in
the cache. The scheduler is healthy when the sweep it sends ran recently: the sweep task calls
`mark_sweep`, and `check` compares its time with the sweep interval (by the server's clock).
"""
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

SERVICES_KEY = "health:services"
REFRESH_LOCK_KEY = "health:refreshing"
LAST_SWEEP_KEY = "health:last-sweep"
PING_TIMEOUT = 1.0
SWEEPS_MISSED = 3  # the scheduler is late when this many sweeps did not run


def _safely(read, default=None):
    try:
        return read()
    except Exception:  # noqa: BLE001 - a cache outage leaves the health check working
        return default


def mark_sweep() -> None:
    """Note that a sweep ran now (called by the sweep task on a worker)."""
    _safely(lambda: cache.set(LAST_SWEEP_KEY, timezone.now().isoformat(), timeout=None))


def database() -> dict:
    """Whether the database answers a `SELECT 1`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return {"ok": False, "error": str(exc)}


def ask_broker_and_workers() -> dict:
    """Ask the broker and the workers now (a short timeout each), bypassing the cache."""
    from lims.celery import app
    from lims.sessions import builds

    checked = timezone.now().isoformat()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return {"broker": {"ok": False, "error": str(exc)}, "workers": {"ok": False, "error": "broker unreachable"},
                "checked": checked}
    try:
        # Each worker answers with the queues it reads: a build queue nobody reads keeps its files unread.
        replies = app.control.inspect(timeout=PING_TIMEOUT).active_queues() or {}
        names = sorted(replies)
        read = {queue["name"] for queues in replies.values() for queue in queues or ()}
        unread = [name for name in builds.build_queues() if name not in read]
        workers = {"ok": bool(names) and not unread, "count": len(names), "names": names}
        if not names:
            workers["error"] = "no worker answered"
        elif unread:
            workers["error"] = f"no worker reads the queue {', '.join(unread)}"
    except Exception as exc:  # noqa: BLE001
        workers = {"ok": False, "error": str(exc)}
    return {"broker": {"ok": True}, "workers": workers, "checked": checked}


def _broker_and_workers() -> dict:
    """The cached answer, refreshed by one caller when it is older than HEALTH_CACHE_SECONDS."""
    known = _safely(lambda: cache.get(SERVICES_KEY))
    fresh = known and time.time() - known["at"] < settings.HEALTH_CACHE_SECONDS
    if fresh or (known and not _safely(lambda: cache.add(REFRESH_LOCK_KEY, 1, timeout=10), True)):
        return known["services"]
    services = ask_broker_and_workers()
    _safely(lambda: cache.set(SERVICES_KEY, {"at": time.time(), "services": services}, timeout=None))
    _safely(lambda: cache.delete(REFRESH_LOCK_KEY))
    return services


def scheduler() -> dict:
    """Whether the sweep the scheduler sends ran within SWEEPS_MISSED intervals."""
    last = _safely(lambda: cache.get(LAST_SWEEP_KEY))
    if not last:
        return {"ok": False, "error": "no sweep has run yet"}
    age = (timezone.now() - parse_datetime(last)).total_seconds()
    ok = age < SWEEPS_MISSED * settings.SWEEP_INTERVAL_SECONDS
    return {"ok": ok, "last_sweep": last, **({} if ok else {"error": f"the last sweep ran {age:.0f} s ago"})}


def check() -> dict:
    """{"ok": database and broker answer, plus one entry per part}; workers and scheduler are reported."""
    answer = database()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        inline = {"ok": True, "mode": "in-process"}
        return {"ok": answer["ok"], "database": answer, "broker": inline, "workers": inline,
                "scheduler": inline}
    services = _broker_and_workers()
    return {"ok": answer["ok"] and services["broker"]["ok"], "database": answer, **services,
            "scheduler": scheduler()}
