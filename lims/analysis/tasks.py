"""Celery tasks of the analysis queue: one supervisor per run, and the periodic sweep of runs."""
from celery import shared_task

from lims.analysis import supervisor, sweeper


@shared_task(name="lims.analysis.tasks.supervise_run", acks_late=True, ignore_result=True)
def supervise_run(run_id: str) -> str:
    return supervisor.supervise(run_id)


@shared_task(name="lims.analysis.tasks.sweep_runs", ignore_result=True)
def sweep_runs() -> dict:
    return sweeper.sweep()
