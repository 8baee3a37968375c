"""Curating a built record: each edit is checked, kept in the history, and the record is rebuilt at once.

Every function locks the session row, changes what it curates, writes one `Edit` per change and
rebuilds the record in place in the same transaction: the XML is built again and validated, and
search is updated. When the XML does not validate, nothing of the edit is kept (`CurationError`).
"""
from dataclasses import dataclass, field

from django.db import transaction

from records.errors import InvalidRecord

from lims.curation.models import Curation, Edit
from lims.events.models import Event
from lims.events.outbox import emit
from lims.records import pipeline
from lims.records.models import Record
from lims.records.sharing import can_share
from lims.sessions.models import DataFile, Session

SUMMARY_FIELDS = ("title", "description", "sample", "project", "purpose")
SESSION_FIELDS = ("sample", "project", "purpose")
MAX_LENGTHS = {"title": 500, "sample": 255, "project": 255, "description": 20_000, "purpose": 20_000,
               "file_description": 20_000}
RECENT_EDITS = 10


class CurationError(ValueError):
    """An edit that cannot be made; the message says why and nothing was changed."""


@dataclass
class Saved:
    """What an edit did: its history rows, and whether the record was rebuilt now (False: a build of the
    session is under way or waiting, and it applies the edit when it stores the record)."""

    edits: list = field(default_factory=list)
    rebuilt: bool = False


def can_curate(user, record: Record) -> bool:
    """The experimenter and staff edit a record, as they decide who sees it."""
    return can_share(user, record)


def recent_edits(session, limit: int = RECENT_EDITS) -> list[Edit]:
    return list(Edit.objects.filter(session=session)[:limit])


def file_description(session, data_file) -> str:
    curation = Curation.objects.filter(session=session).only("file_descriptions").first()
    return (curation.file_descriptions or {}).get(str(data_file.pk), "") if curation else ""


def description(session) -> str:
    curation = Curation.objects.filter(session=session).only("description").first()
    return curation.description if curation else ""


def _clean(field: str, value) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > MAX_LENGTHS[field]:
        raise CurationError(f"The {field.replace('_', ' ')} is longer than {MAX_LENGTHS[field]} characters.")
    return text


def _rebuilt(session: Session) -> bool:
    """Rebuild the record in the caller's transaction; an invalid result undoes the whole edit."""
    try:
        return pipeline.rebuild_in_place(session)
    except InvalidRecord as exc:
        raise CurationError(f"The record would not be valid after this edit ({exc}); nothing was changed.") from exc


class _Editing:
    """The locked session, its record and curation, and the edits made, for one transaction."""

    def __init__(self, record: Record, user):
        self.user = user
        self.session = Session.objects.select_for_update().select_related("instrument").get(pk=record.session_id)
        self.record = Record.objects.get(pk=record.pk)
        self.curation, _ = Curation.objects.get_or_create(session=self.session)
        self.edits: list[Edit] = []

    def note(self, action: str, before: str, after: str, target: str = "") -> None:
        self.edits.append(Edit(session=self.session, user=self.user, username=self.user.get_username(),
                               action=action, target=target[:1100], before=before, after=after))

    def finish(self) -> Saved:
        if not self.edits:
            return Saved()
        self.curation.save()
        Edit.objects.bulk_create(self.edits)
        saved = Saved(self.edits, _rebuilt(self.session))
        emit(Event.Type.RECORD_UPDATED, record=self.record, changes=sorted({edit.action for edit in self.edits}))
        return saved


def edit_summary(record: Record, user, values: dict) -> Saved:
    """Change any of title, description, sample, project and purpose; an empty title restores the built one."""
    cleaned = {field: _clean(field, values[field]) for field in SUMMARY_FIELDS if field in values}
    with transaction.atomic():
        editing = _Editing(record, user)
        session, curation = editing.session, editing.curation
        changed_on_session = []
        for field, new in cleaned.items():
            if field in SESSION_FIELDS:
                old = getattr(session, field)
                if new != old:
                    setattr(session, field, new)
                    changed_on_session.append(field)
                    editing.note(field, old, new)
            else:
                shown = getattr(curation, field) or (editing.record.title if field == "title" else "")
                if new == getattr(curation, field) or (field == "title" and new == shown):
                    continue
                setattr(curation, field, new)
                editing.note(field, shown, new or "(as built)")
        if changed_on_session:
            session.save(update_fields=changed_on_session)
        return editing.finish()


def describe_file(record: Record, user, data_file: DataFile, text: str) -> Saved:
    text = _clean("file_description", text)
    with transaction.atomic():
        editing = _Editing(record, user)
        descriptions = dict(editing.curation.file_descriptions or {})
        old = descriptions.get(str(data_file.pk), "")
        if text != old:
            if text:
                descriptions[str(data_file.pk)] = text
            else:
                descriptions.pop(str(data_file.pk), None)
            editing.curation.file_descriptions = descriptions
            editing.note(Edit.Action.FILE_DESCRIPTION, old, text, target=data_file.relative_path)
        return editing.finish()


def _partition(session: Session) -> dict[int, list[int]]:
    """Activity index -> its file ids in time order, as the record stands now."""
    groups: dict[int, list[int]] = {}
    rows = DataFile.objects.filter(session=session).order_by("acquired", "relative_path", "version")
    for file_id, activity in rows.values_list("id", "activity"):
        groups.setdefault(activity or 0, []).append(file_id)
    return groups


def _store_groups(editing: _Editing, groups: dict[int, list[int]]) -> None:
    editing.curation.groups = [ids for _, ids in sorted(groups.items()) if ids]


def move_file(record: Record, user, data_file: DataFile, activity: int | None) -> Saved:
    """Put one file into another activity of the record."""
    with transaction.atomic():
        editing = _Editing(record, user)
        groups = _partition(editing.session)
        current = next((index for index, ids in groups.items() if data_file.pk in ids), None)
        if activity is None:
            raise CurationError("Choose the activity to move the file to.")
        if activity not in groups or activity == 0:
            raise CurationError(f"This record has no activity {activity}.")
        if activity == current:
            raise CurationError(f"The file is already in activity {activity}.")
        groups[current].remove(data_file.pk)
        groups[activity].append(data_file.pk)
        _store_groups(editing, groups)
        editing.note(Edit.Action.MOVE_FILE, f"activity {current}", f"activity {activity}", target=data_file.relative_path)
        return editing.finish()


def merge_activities(record: Record, user, indexes: list[int]) -> Saved:
    """Make one activity of two or more."""
    wanted = sorted(set(indexes))
    with transaction.atomic():
        editing = _Editing(record, user)
        groups = _partition(editing.session)
        missing = [index for index in wanted if index not in groups or index == 0]
        if missing:
            raise CurationError(f"This record has no activity {', '.join(map(str, missing))}.")
        if len(wanted) < 2:
            raise CurationError("Choose at least two activities to merge.")
        first = wanted[0]
        for index in wanted[1:]:
            groups[first].extend(groups.pop(index))
        _store_groups(editing, groups)
        names = ", ".join(map(str, wanted))
        editing.note(Edit.Action.MERGE, f"activities {names}", "one activity", target=f"activities {names}")
        return editing.finish()


def split_activity(record: Record, user, data_file: DataFile) -> Saved:
    """Split the activity of `data_file`: it and the files after it (in time) become a new activity."""
    with transaction.atomic():
        editing = _Editing(record, user)
        groups = _partition(editing.session)
        index = next((i for i, ids in groups.items() if data_file.pk in ids), None)
        members = groups.get(index, [])
        position = members.index(data_file.pk) if data_file.pk in members else 0
        if position == 0:
            raise CurationError("This file already starts its activity; choose a later file to split at.")
        groups[index] = members[:position]
        groups[max(groups) + 1] = members[position:]
        _store_groups(editing, groups)
        editing.note(Edit.Action.SPLIT, f"activity {index}", "two activities",
                     target=f"activity {index} at {data_file.relative_path}")
        return editing.finish()
