"""Collects files that sit on an instrument's share, written during a session, into that session.

Used when COLLECT_FROM_SHARE is on: at build time, every file under the instrument's share path
whose modification time falls inside the session window (with a small margin) and that has
stopped changing for SHARE_SETTLE_SECONDS is copied into the session's folder, unless the
session already holds the same bytes under that name. A changed file becomes a new version.
"""
import time
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

from django.conf import settings

from lims.sessions.ingest import list_files
from lims.sessions import objects
from lims.sessions.models import DataFile, Session
from lims.sessions.storage import sha256_of, stored_as

WINDOW_MARGIN = timedelta(minutes=1)


def collect(session: Session, now: float | None = None) -> int:
    """Copy the session's settled share files into it; returns how many new files were added."""
    share = Path(session.instrument.share_path) if session.instrument.share_path else None
    if share is None or not share.is_dir() or session.end is None:
        return 0
    now = now if now is not None else time.time()
    start, end = session.start - WINDOW_MARGIN, session.end + WINDOW_MARGIN
    added = 0
    for path in list_files(share):
        stat = path.stat()
        mtime = datetime.fromtimestamp(stat.st_mtime, tz=dt_timezone.utc)
        if not (start <= mtime <= end) or now - stat.st_mtime < settings.SHARE_SETTLE_SECONDS:
            continue
        relative = path.relative_to(share).as_posix()
        sha256 = sha256_of(path)
        versions = list(DataFile.objects.filter(session=session, relative_path=relative))
        if any(v.sha256 == sha256 for v in versions):
            continue
        datafile = DataFile(session=session, relative_path=relative, size=stat.st_size, sha256=sha256, mtime=mtime,
                            version=max((v.version for v in versions), default=0) + 1)
        datafile.stored_as = stored_as(datafile)
        objects.copy_in(path, datafile.storage_key)
        datafile.save()
        added += 1
    return added
