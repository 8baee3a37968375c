"""Fixtures for pipeline tests: sessions made directly in storage from small generated files."""
import hashlib
import os
from datetime import datetime, timedelta

import pytest

from .samples import T0


@pytest.fixture
def make_session(db):
    """make_session(instrument, {name: bytes}, gaps=[seconds...]) -> an ENDED session with its files stored."""
    from lims.sessions.models import DataFile, Session

    def make(instrument, files: dict, times: list[datetime] | None = None, **fields):
        start = times[0] if times else T0
        session = Session.objects.create(instrument=instrument, user=fields.pop("user", "alice"), start=start,
                                         state=Session.State.ENDED, **fields)
        rows = []
        for index, (name, content) in enumerate(files.items()):
            when = times[index] if times else T0 + timedelta(seconds=30 * index)
            path = session.storage_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            os.utime(path, (when.timestamp(), when.timestamp()))
            rows.append(DataFile(session=session, relative_path=name, size=len(content),
                                 sha256=hashlib.sha256(content).hexdigest(), mtime=when))
        DataFile.objects.bulk_create(rows)
        last = max((r.mtime for r in rows), default=start)
        Session.objects.filter(pk=session.pk).update(end=last)
        session.refresh_from_db()
        return session

    return make
