"""A succeeded run's outputs become a derived record: a session of their own, built like any other.

The session takes the instrument, sample and project of its input and the most restrictive
visibility of its inputs (and the input's account), so no one sees a derived record who cannot see
everything it came from. Its files are the run's outputs; `queue_build` builds it through the
normal pipeline, which adds the `derivation` element (see `provenance.derivation`).
"""
import json
import os
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lims.analysis import runs
from lims.analysis.models import Run
from lims.sessions import objects
from lims.sessions.builds import queue_build
from lims.sessions.models import DataFile, Session, Visibility
from lims.sessions.storage import sha256_of

SUMMARY_FILE = "summary.json"
ORDER = [Visibility.PRIVATE, Visibility.FACILITY, Visibility.PUBLIC]  # most restrictive first


def most_restrictive(sessions) -> str:
    return min((s.visibility for s in sessions), key=ORDER.index, default=Visibility.PRIVATE)



def _outputs(out: Path) -> list[Path]:
    """Regular files the method wrote (links are not followed: they could point anywhere)."""
    found = []
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]
        for name in files:
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


class _NoLongerRunning(Exception):
    """The run was cancelled or failed by the sweep while its outputs were being stored."""


def create_derived(run: Run, out: Path, summary: dict, **fields) -> Session | None:
    """Store the outputs as a new ENDED session, mark the run SUCCEEDED with it, and queue its build.

    None (and nothing kept) when the run is no longer RUNNING (cancelled meanwhile).
    """
    try:
        return _store(run, out, summary, **fields)
    except _NoLongerRunning:
        return None


def _store(run: Run, out: Path, summary: dict, **fields) -> Session:
    out.mkdir(parents=True, exist_ok=True)
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=1, default=str))
    source = run.record.session
    now = timezone.now()
    username = run.requested_by.get_username() if run.requested_by else source.user
    with transaction.atomic():
        session = Session.objects.create(
            instrument=source.instrument, user=username, account=source.account, start=run.started or now, end=now,
            state=Session.State.ENDED, last_seen=now, sample=source.sample, sample_id=source.sample_id,
            sample_description=source.sample_description, project=source.project,
            purpose=f"{run.method.title} ({run.method.slug} {run.method.version}) of record {run.record_id}",
            visibility=most_restrictive([source]),
        )
        rows = []
        try:
            for path in _outputs(out):
                row = DataFile(session=session, relative_path=path.relative_to(out).as_posix(),
                               size=path.stat().st_size, sha256=sha256_of(path), mtime=now)
                objects.put(path, row.storage_key)
                rows.append(row)
            DataFile.objects.bulk_create(rows)
            if not runs.move(run.pk, Run.State.SUCCEEDED, [Run.State.RUNNING], output_session=session,
                             summary=summary, progress=1.0, message="done", **fields):
                raise _NoLongerRunning()
        except BaseException:
            for row in rows:
                objects.remove(row.storage_key)
            raise
        queue_build(session)
    return session
