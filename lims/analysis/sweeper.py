"""Recovery of runs whose message was lost or whose worker died (run by beat, see `tasks.sweep_runs`).

- A QUEUED run the broker never took (`queued` empty) is sent now.
- A QUEUED run sent more than ANALYSIS_REQUEUE_SECONDS ago while the analysis queue is empty lost
  its message (a broker restarted without its data): it is sent again. A duplicate is harmless:
  only one supervisor can claim the run.
- A RUNNING run whose heartbeat is older than ANALYSIS_HEARTBEAT_TIMEOUT lost its worker: FAILED.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lims.analysis import runs, services
from lims.analysis.models import Run


def analysis_queue_length() -> int:
    """Messages waiting in the analysis queues (0 when tasks run in-process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0
    from celery import current_app
    from kombu.exceptions import ChannelError

    total = 0
    queues = set(Run.objects.filter(state=Run.State.QUEUED).values_list("method__queue", flat=True)) or {"analysis"}
    with current_app.connection_for_read() as connection:
        for name in queues:
            try:
                total += connection.default_channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:
                continue
    return total


def sweep(now=None) -> dict:
    now = now or timezone.now()
    sent = sum(services.send_run(run_id) for run_id in
               Run.objects.filter(state=Run.State.QUEUED, queued__isnull=True).values_list("pk", flat=True))
    resent = 0
    lost = Run.objects.filter(state=Run.State.QUEUED, method__queue__in=settings.ANALYSIS_CELERY_QUEUES,
                              queued__lt=now - timedelta(seconds=settings.ANALYSIS_REQUEUE_SECONDS))
    if lost.exists() and not analysis_queue_length():
        for run_id in lost.values_list("pk", flat=True):
            Run.objects.filter(pk=run_id).update(queued=None)
            resent += services.send_run(run_id)
    cutoff = now - timedelta(seconds=settings.ANALYSIS_HEARTBEAT_TIMEOUT)
    failed = 0
    for run_id, seen in Run.objects.filter(Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True),
                                           state=Run.State.RUNNING).values_list("pk", "heartbeat"):
        failed += runs.move(run_id, Run.State.FAILED, [Run.State.RUNNING],
                            error=f"its worker stopped: no heartbeat since {seen:%Y-%m-%d %H:%M:%S} UTC"
                            if seen else "its worker stopped before the first heartbeat")
    return {"sent": sent, "resent": resent, "failed": failed}
