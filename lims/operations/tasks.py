"""Periodic operations run by the workers: the fixity audit."""
from celery import shared_task

from lims.operations import fixity


@shared_task
def fixity_audit() -> int:
    """Re-hash every stored file (see lims.operations.fixity); returns the audit's id."""
    return fixity.audit().pk
