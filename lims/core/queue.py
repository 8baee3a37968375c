"""Handing a task to the workers by name, best effort: a broker that is away is logged, and beat sends it later."""
import logging

from celery import current_app

log = logging.getLogger(__name__)


def send(task_name: str, *args) -> bool:
    """Queue `task_name` with `args` (run at once when tasks are eager); False when the broker did not take it."""
    current_app.loader.import_default_modules()  # registers the apps' tasks (once)
    try:
        current_app.tasks[task_name].apply_async(args, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the caller's outbox row stays for beat
        log.warning("%s%s not queued (%s); beat sends it later", task_name, args, exc)
        return False
    return True
