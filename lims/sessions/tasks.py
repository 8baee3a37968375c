"""Periodic housekeeping of sessions: end silent ones, hand back stalled builds."""
from celery import shared_task


@shared_task
def sweep_sessions() -> dict:
    """End sessions whose logger went silent and requeue builds that stalled or never started."""
    from lims.sessions import sweeper

    return sweeper.sweep()
