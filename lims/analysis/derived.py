"""A succeeded run's outputs become a derived record: a session of their own, built like any other.

The session takes the instrument, sample and project of its input and the most restrictive
visibility of its inputs (and the input's account), so no one sees a derived record who cannot see
everything it came from. Its files are the run's outputs; `queue_build` builds it through the
normal pipeline, which adds the `derivation` element (see `provenance.derivation`).

A runner on another host uploads its outputs with tus into a session staged when it claims the run
(`staged_session`); success stores the summary beside them and builds it, any other end removes it
(`discard_staged`).
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
from lims.uploads.services import abandon

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


def new_session(run: Run, now=None, **fields) -> Session:
    """The ENDED session that will hold a run's outputs (not yet built: its build is queued by `_store`)."""
    source = run.record.session
    now = now or timezone.now()
    username = run.requested_by.get_username() if run.requested_by else source.user
    return Session.objects.create(
        instrument=source.instrument, user=username, account=source.account, start=run.started or now, end=now,
        state=Session.State.ENDED, last_seen=now, sample=source.sample, sample_id=source.sample_id,
        sample_description=source.sample_description, project=source.project,
        purpose=f"{run.method.title} ({run.method.slug} {run.method.version}) of record {run.record_id}",
        visibility=most_restrictive([source]), **fields,
    )


def staged_session(run: Run) -> Session:
    """The session a runner uploads a run's outputs into with tus, made once when it claims the run.

    It is ENDED (so lims.uploads accepts files) but not built while the run goes on: it counts as
    queued, its build's pulse is the run's heartbeat (`runner_api.ProgressView`), so neither the
    build outbox nor the stall recovery sends it, and `lims.records.pipeline.start` would wait for
    the run anyway. `create_derived` builds it when the run succeeds, `discard_staged` removes it
    otherwise.
    """
    with transaction.atomic():
        locked = Run.objects.select_for_update(of=("self",)).select_related(
            "record__session", "method", "requested_by").get(pk=run.pk)
        if locked.output_session_id is None:
            now = timezone.now()
            locked.output_session = new_session(locked, now, build_queued=now, build_progress=now)
            Run.objects.filter(pk=run.pk).update(output_session=locked.output_session)
    return locked.output_session


def discard_staged(run: Run) -> None:
    """Remove the staged outputs of a run that did not succeed: stored files, uploads in progress, the session."""
    session = Session.objects.filter(pk=run.output_session_id).first()
    if session is None or hasattr(session, "record"):
        return
    for upload in session.uploads.filter(completed__isnull=True):
        abandon(upload)  # its .part file goes too
    for datafile in session.files.all():
        objects.remove(datafile.storage_key)
    session.delete()


def _store(run: Run, out: Path, summary: dict, **fields) -> Session:
    """Store the files under `out` in the run's session (staged, or new), move the run to SUCCEEDED, queue the build."""
    out.mkdir(parents=True, exist_ok=True)
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=1, default=str))
    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.filter(pk=run.output_session_id).first()
        if session is None:
            session = new_session(run, now)
        else:  # staged: it ends now
            Session.objects.filter(pk=session.pk).update(end=now, last_seen=now)
        taken = set(session.files.values_list("relative_path", flat=True))
        rows = []
        try:
            for path in _outputs(out):
                name = path.relative_to(out).as_posix()
                if name in taken:  # a runner's upload under the name the server writes itself
                    session.files.filter(relative_path=name).delete()
                row = DataFile(session=session, relative_path=name,
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
