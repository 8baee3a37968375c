"""Health endpoint: database, broker and worker status for monitors and compose health checks."""
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return {"ok": False, "error": str(exc)}


def _check_broker_and_workers() -> tuple[dict, dict]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        inline = {"ok": True, "mode": "in-process"}
        return inline, inline
    from lims.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        broker = {"ok": True}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": str(exc)}, {"ok": False, "error": "broker unreachable"}
    try:
        replies = app.control.ping(timeout=1.0) or []
        names = sorted(name for reply in replies for name in reply)
        workers = {"ok": bool(names), "count": len(names), "names": names}
        if not names:
            workers["error"] = "no worker answered"
    except Exception as exc:  # noqa: BLE001
        workers = {"ok": False, "error": str(exc)}
    return broker, workers


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and broker answer; workers are reported but do not fail the check."""
    database = _check_database()
    broker, workers = _check_broker_and_workers()
    ok = database["ok"] and broker["ok"]
    body = {"status": "ok" if ok else "error", "database": database, "broker": broker, "workers": workers}
    return JsonResponse(body, status=200 if ok else 503)
