"""Periodic operations run by the workers: the fixity audit."""
from celery import shared_task

from lims.operations import fixity


# Acknowledged on receipt: an audit can outlast the broker's visibility timeout, and a redelivered
# message would start a second audit beside the first; one lost to a dead worker waits for next week.
@shared_task(acks_late=False)
def fixity_audit() -> int:
    """Re-hash every stored file (see lims.operations.fixity); returns the audit's id."""
    return fixity.audit().pk
