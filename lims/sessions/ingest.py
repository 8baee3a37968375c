"""Bulk import: turn existing data folders into sessions with files, ready to build.

One folder becomes one session; a tree can give one session per folder, or a folder can be
split where its files' times leave a gap. Session ids are derived from the instrument and the
folder (and part), so importing the same data twice finds the sessions it made and changes
nothing.
"""
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from lims.sessions import objects
from lims.sessions.models import DataFile, Session, SessionEvent
from lims.sessions.storage import sha256_of

INGEST_NAMESPACE = uuid.UUID("6f1e9f4e-6a53-4c3e-9d7a-3f0f4b1f2a10")


@dataclass
class Plan:
    """One session to import: its folder, files (path relative to `root`) and time window."""

    root: Path
    files: list[Path]
    start: datetime
    end: datetime
    part: int = 0
    label: str = ""


@dataclass
class Outcome:
    session: Session
    created: bool
    files: int = 0
    skipped_reason: str = ""
    messages: list[str] = field(default_factory=list)


def list_files(folder: Path) -> list[Path]:
    """Every regular file under `folder`, hidden files and folders excluded, in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=dt_timezone.utc)


def plan_folder(folder: Path, start=None, end=None, split_gap: timedelta | None = None) -> list[Plan]:
    """Plans for one folder: one session, or one per run of files separated by `split_gap`."""
    files = list_files(folder)
    if not files:
        return []
    timed = sorted(files, key=lambda p: (_mtime(p), str(p)))
    runs = [[timed[0]]]
    if split_gap and not (start or end):
        for previous, current in zip(timed, timed[1:]):
            if _mtime(current) - _mtime(previous) > split_gap:
                runs.append([])
            runs[-1].append(current)
    else:
        runs = [timed]
    plans = []
    for index, run in enumerate(runs):
        first, last = _mtime(run[0]), _mtime(run[-1])
        plans.append(Plan(root=folder, files=sorted(run), start=start or first, end=end or last,
                          part=index if len(runs) > 1 else 0, label=folder.name))
    return plans


def plan_tree(root: Path, split_gap: timedelta | None = None) -> list[Plan]:
    """One plan per folder of `root` that holds files directly (its subfolders go with it)."""
    plans = []
    direct = [p for p in sorted(root.iterdir()) if p.is_file() and not p.name.startswith(".")]
    if direct:
        # Files at the top level form their own session; subfolders are sessions of their own.
        top = Plan(root=root, files=direct, start=min(map(_mtime, direct)), end=max(map(_mtime, direct)),
                   label=root.name)
        plans.append(top)
    for child in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        plans.extend(plan_folder(child, split_gap=split_gap))
    return plans


def session_id_for(instrument_pid: str, plan: Plan) -> uuid.UUID:
    return uuid.uuid5(INGEST_NAMESPACE, f"{instrument_pid}:{plan.root.resolve()}:{plan.part}")


def import_plan(plan: Plan, instrument, user: str, **details) -> Outcome:
    """Create the session of a plan with its files copied into storage, ENDED and ready to build."""
    session_id = session_id_for(instrument.pid, plan)
    existing = Session.objects.filter(pk=session_id).first()
    if existing is not None:
        return Outcome(existing, created=False, files=existing.files.count(), skipped_reason="already imported")
    account = get_user_model().objects.filter(username=user).first()
    session = Session(
        id=session_id, instrument=instrument, user=user, account=account, start=plan.start,
        end=max(plan.end, plan.start), state=Session.State.ENDED,
        **{k: v for k, v in details.items() if v is not None},
    )
    folder = objects.key_of(session.storage_dir)
    rows = []
    for path in plan.files:
        relative = path.relative_to(plan.root).as_posix()
        objects.copy_in(path, f"{folder}/{relative}")
        rows.append(DataFile(relative_path=relative, size=path.stat().st_size, sha256=sha256_of(path),
                             mtime=_mtime(path)))
    with transaction.atomic():
        session.save(force_insert=True)
        for row in rows:
            row.session = session
        DataFile.objects.bulk_create(rows)
        SessionEvent.objects.bulk_create([
            SessionEvent(session=session, kind=SessionEvent.Kind.START, at=session.start, text=f"Imported from {plan.root}"),
            SessionEvent(session=session, kind=SessionEvent.Kind.END, at=session.end),
        ])
    return Outcome(session, created=True, files=len(rows))
