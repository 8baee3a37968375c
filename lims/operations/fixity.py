"""Fixity audits: re-hash stored files against their recorded sha256 and find missing, changed and unreferenced files.

Files are hashed one at a time with the server's one hashing function (`sha256_of`, a MiB at a
time), and listed in chunks (`inventory`), so an audit's memory does not grow with the installation.
Each record's XML is checked against the sha256 its name carries. Previews have no recorded hash: they are
checked for presence only. With object storage
(STORAGE_URL) each object is read back from the store and hashed, so an audit costs a full read of
the bucket, and the objects under the store's prefix that nothing refers to are reported as unreferenced.
"""
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import chain

from django.utils import timezone

from lims.operations import inventory
from lims.operations.models import PROBLEMS_KEPT, FixityAudit
from lims.sessions import objects

MISSING = "missing"
CHANGED = "changed"
UNREFERENCED = "unreferenced"
# A file placed a moment ago may not have its row committed yet: not called unreferenced before this age.
UNREFERENCED_GRACE = timedelta(hours=1)


def audit(since: datetime | None = None, now: datetime | None = None,
          on_problem: Callable[[str, str], None] | None = None) -> FixityAudit:
    """Check every stored file (data files stored since `since`, when given) and keep the result."""
    now = now or timezone.now()
    run = FixityAudit.objects.create(started=now, since=since)

    def found(kind: str, path: str) -> None:
        setattr(run, kind, getattr(run, kind) + 1)
        if len(run.problems) < PROBLEMS_KEPT:
            run.problems.append({"kind": kind, "path": path})
        if on_problem:
            on_problem(kind, path)

    for entry in chain(inventory.data_files(since=since), inventory.record_files(since=since)):
        size = objects.size(entry.path)
        if size is None:
            found(MISSING, entry.path)
            continue
        run.checked += 1
        run.checked_bytes += size
        if objects.sha256_of(entry.path) != entry.sha256:
            found(CHANGED, entry.path)
    for entry in inventory.previews():
        if not objects.exists(entry.path):
            found(MISSING, entry.path)
    for key in inventory.unreferenced(older_than=now - UNREFERENCED_GRACE):
        found(UNREFERENCED, key)
    run.finished = timezone.now()
    run.save()
    return run
