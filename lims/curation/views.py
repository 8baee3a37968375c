"""Curation pages and forms: edit a record's summary, describe and move files, merge and split activities, history."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lims.curation import services
from lims.curation.models import Edit
from lims.records.permissions import visible_record_or_404
from lims.sessions.models import DataFile

HISTORY_SHOWN = 500


def _record(request, record_id: int, curating: bool = True):
    """The record if visible (else 404) and, when `curating`, editable by the visitor (else 403)."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    if curating and not services.can_curate(request.user, record):
        raise PermissionDenied("Only the experimenter and staff can edit this record.")
    return record


def _file(record, file_id: int) -> DataFile:
    return get_object_or_404(DataFile, pk=file_id, session_id=record.session_id)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _done(request, record, saved: services.Saved, anchor: str = ""):
    if not saved.edits:
        messages.info(request, "Nothing changed.")
    else:
        what = ", ".join(sorted({edit.get_action_display().lower() for edit in saved.edits}))
        then = "the record was rebuilt and validated" if saved.rebuilt else \
            "the record shows it once the build of its session under way is done"
        messages.success(request, f"Saved ({what}); {then}.")
    return redirect(f"/records/{record.pk}/{anchor}")


def _attempt(request, record, change, anchor: str = ""):
    try:
        saved = change()
    except services.CurationError as exc:
        messages.error(request, str(exc))
        return redirect(f"/records/{record.pk}/{anchor}")
    return _done(request, record, saved, anchor)


@login_required
@require_http_methods(["GET", "POST"])
def edit_record(request, record_id: int):
    """/records/<id>/edit/: title, description, sample, project and purpose."""
    record = _record(request, record_id)
    session = record.session
    if request.method == "POST":
        values = {field: request.POST.get(field, "") for field in services.SUMMARY_FIELDS}
        try:
            saved = services.edit_summary(record, request.user, values)
        except services.CurationError as exc:
            messages.error(request, str(exc))
        else:
            return _done(request, record, saved)
    else:
        values = {"title": record.title, "description": services.description(session), "sample": session.sample,
                  "project": session.project, "purpose": session.purpose}
    return render(request, "curation/edit.html", {"record": record, "values": values,
                                                  "limits": services.MAX_LENGTHS})


@login_required
@require_POST
def describe_file(request, record_id: int, file_id: int):
    record = _record(request, record_id)
    data_file = _file(record, file_id)
    return _attempt(request, record, lambda: services.describe_file(
        record, request.user, data_file, request.POST.get("description", "")), f"#file-{data_file.pk}")


@login_required
@require_POST
def move_file(request, record_id: int, file_id: int):
    record = _record(request, record_id)
    data_file = _file(record, file_id)
    target = _int(request.POST.get("activity"))
    return _attempt(request, record, lambda: services.move_file(record, request.user, data_file, target))


@login_required
@require_POST
def split_activity(request, record_id: int, file_id: int):
    record = _record(request, record_id)
    data_file = _file(record, file_id)
    return _attempt(request, record, lambda: services.split_activity(record, request.user, data_file))


@login_required
@require_POST
def merge_activities(request, record_id: int):
    record = _record(request, record_id)
    indexes = [index for index in map(_int, request.POST.getlist("activity")) if index is not None]
    return _attempt(request, record, lambda: services.merge_activities(record, request.user, indexes))


def history(request, record_id: int):
    """/records/<id>/history/: every edit of the record, newest first (anyone who sees the record)."""
    record = _record(request, record_id, curating=False)
    edits = Edit.objects.filter(session_id=record.session_id)[:HISTORY_SHOWN]
    return render(request, "curation/history.html", {"record": record, "edits": edits,
                                                     "zone": record.session.instrument.timezone})
