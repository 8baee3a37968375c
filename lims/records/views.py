"""Browser pages: the landing page, record detail, file pages, downloads, the live session and the token (the
list is search's)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from lims.core.authentication import token_or_session
from lims.curation.services import can_curate, description, file_description, recent_edits
from lims.records import display, downloads, record_page
from lims.records.models import Record
from lims.records.permissions import visible_record_or_404, visible_sessions
from lims.records.plots import PLOTTED
from lims.records.sharing import can_share
from lims.search.service import search
from lims.sessions.models import DataFile, Session, Visibility

LIVE_FILES = 200  # newest files shown on the page of an active session
LATEST_ON_HOME = 6
def record_detail(request, record_id: int):
    """/records/<id>/: summary, problems, gallery, activities with setup and files (paginated, filterable)."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    session = record.session
    context = {
        **record_page.files_part(record, request.GET),
        "record": record,
        "session": session,
        "zone": session.instrument.timezone,
        "back_url": record_page.back_url(request),
        "can_share": can_share(request.user, record),
        "can_curate": can_curate(request.user, record),
        "history": recent_edits(session),
        "description": description(session),
        "visibilities": Visibility.choices,
    }
    return render(request, "records/detail.html", context)


def _visible_file(request, record_id: int, file_id: int):
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    return get_object_or_404(DataFile.objects.select_related("session__instrument"), pk=file_id,
                             session_id=record.session_id)


@token_or_session
def file_download(request, record_id: int, file_id: int):
    return downloads.file_response(_visible_file(request, record_id, file_id))


@token_or_session
def file_preview(request, record_id: int, file_id: int):
    return downloads.preview_response(_visible_file(request, record_id, file_id), request.GET.get("signal"))


def _file_context(request, record_id: int, file_id: int) -> dict:
    """What the file fragment and the file page show: the file's own settings, axes, facts, problems."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    data_file = get_object_or_404(DataFile, pk=file_id, session_id=record.session_id)
    zone = record.session.instrument.timezone
    metadata = data_file.metadata or {}
    activity = next((a for a in record.activities() if a.get("index") == data_file.activity), {})
    setup = activity.get("setup") or {}
    own = display.differing(metadata, setup)
    api = f"/api/v1/records/{record.pk}/files/{data_file.pk}/"
    return {
        "record": record,
        "file": data_file,
        "zone": zone,
        "activity": activity,
        "own_items": display.settings(own),
        "shares_setup": bool(setup),
        "axes": display.axes(own.get("dimensions")),  # shared axes are shown once, with the activity
        "facts": display.file_facts(metadata),
        "signals": display.further_signals(metadata, f"/records/{record.pk}/files/{data_file.pk}/preview.png"),
        "modified": metadata.get("modified_time"),
        "plot_url": f"{api}plot" if data_file.signal_type in PLOTTED else "",
        "tree_url": f"{api}original-metadata",
        "scalebar": display.scalebar(metadata) if data_file.preview else None,
        "can_curate": can_curate(request.user, record),
        "other_activities": [a for a in record.activities() if a.get("index") != data_file.activity],
        "description": file_description(record.session, data_file),
    }


@token_or_session
def file_metadata(request, record_id: int, file_id: int):
    """An HTML fragment with one file's metadata, loaded on demand by the record page."""
    return render(request, "records/file_metadata.html", _file_context(request, record_id, file_id))


def file_page(request, record_id: int, file_id: int):
    """/records/<id>/files/<file>/view/: one file with its preview, plot, metadata and vendor tree."""
    return render(request, "records/file.html", _file_context(request, record_id, file_id))


@token_or_session
def record_xml(request, record_id: int):
    return downloads.xml_response(visible_record_or_404(request.user, record_id), attachment=True)


@token_or_session
def record_json(request, record_id: int):
    return downloads.json_response(visible_record_or_404(request.user, record_id), request)


@token_or_session
def record_zip(request, record_id: int):
    return downloads.zip_response(visible_record_or_404(request.user, record_id), request)


def _arrived(session) -> list:
    """The files of an active session, newest first, with their preview links (they have no record yet)."""
    files = list(session.files.order_by("-created").values("id", "relative_path", "version", "size", "format",
                                                            "preview", "error", "extracted", "acquired")[:LIVE_FILES])
    for data_file in files:
        data_file["preview_url"] = f"/records/session/{session.pk}/files/{data_file['id']}/preview.png"
    return files


def session_record(request, session_id):
    """/records/session/<uuid>/: the record once built; while ACTIVE, the files as they arrive."""
    session = get_object_or_404(visible_sessions(request.user).select_related("instrument"), pk=session_id)
    record = Record.objects.filter(session=session).only("pk").first()
    if record is not None and session.state != Session.State.ACTIVE:
        return redirect("records:detail", record_id=record.pk)
    context = {"session": session, "zone": session.instrument.timezone, "counts": session.file_counts(),
               "files": _arrived(session), "live": session.state == Session.State.ACTIVE}
    template = "records/session_files.html" if request.GET.get("part") == "files" else "records/session.html"
    return render(request, template, context)


def session_preview(request, session_id, file_id: int):
    """The preview of a file of a session that has no record yet (the live session page)."""
    session = get_object_or_404(visible_sessions(request.user), pk=session_id)
    data_file = get_object_or_404(DataFile.objects.select_related("session__instrument"), pk=file_id,
                                  session=session)
    return downloads.preview_response(data_file)


def home(request):
    """/: the facility, a search box, record counts per instrument and the latest records the visitor may see."""
    result = search(request.user, "", page_size=LATEST_ON_HOME, sort="date")
    previews = Record.preview_files(result.records)
    return render(request, "records/home.html", {
        "total": result.total,
        "instruments": result.facets.get("instrument", []),
        "cards": [{"record": r, "preview": previews.get(r.pk)} for r in result.records],
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """/accounts/token/: the personal API token; regenerating asks first (?regenerate) and needs a POST."""
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    else:
        token, _ = Token.objects.get_or_create(user=request.user)
    return render(request, "records/token.html", {"token": token, "regenerated": request.method == "POST",
                                                  "confirming": "regenerate" in request.GET})
