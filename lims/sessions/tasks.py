"""Periodic housekeeping of sessions: end silent ones, send owed builds, hand back stalled builds."""
from celery import shared_task

from lims.core.health import mark_sweep


@shared_task
def sweep_sessions() -> dict:
    """End sessions whose logger went silent and (re)queue builds that are owed or stalled."""
    from lims.sessions import sweeper

    mark_sweep()
    return sweeper.sweep()
