"""Browser pages: record detail, downloads, "being built" and the personal API token (the list is search's)."""
from html import escape

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from lims.records import downloads
from lims.records.models import Record
from lims.records.permissions import visible_records, visible_sessions
from lims.records.sharing import can_share
from lims.sessions.models import DataFile, Visibility

FILES_PER_PAGE = 500
# One files-table row and one gallery item, filled with escaped values in Python: a page holds up to
# FILES_PER_PAGE of each, and the template engine costs several times more per row.
FILE_COLUMNS = ("id", "relative_path", "version", "size", "format", "activity", "preview", "error")
FILE_ROW = (
    '<tr{failed}><td class="name">{name}{version}</td><td><span class="badge">{format}</span></td>'
    '<td class="num">{size}</td><td><details class="lazy-meta" data-url="{url}metadata/"><summary>show</summary>'
    '<div class="meta-body">…</div></details></td><td><a href="{url}" download>Download</a></td></tr>\n'
)
FILE_NAME_WITH_PREVIEW = '<span class="hover">{}<img class="pop" src="{}" alt="" loading="lazy"></span>'
FILE_VERSION = ' <span class="muted">v{}</span>'
FAILED_ROW = ' class="failed"'
GALLERY_ITEM = (
    '<li><button type="button" class="shot{}" data-src="{}" data-caption="{}"><img src="{}" alt="" '
    'loading="lazy" width="64" height="64"></button></li>\n'
)


def _display(value) -> str:
    """A metadata value as text: quantities as '200 kV', lists comma-separated."""
    if isinstance(value, dict) and "value" in value and "unit" in value:
        number = value["value"]
        number = f"{number:g}" if isinstance(number, (int, float)) and not isinstance(number, bool) else number
        return f"{number} {value['unit']}".strip()
    if isinstance(value, dict):
        return ", ".join(f"{key} {_display(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_display(v) for v in value) if any(isinstance(v, dict) for v in value) \
            else ", ".join(_display(v) for v in value)
    return "" if value is None else str(value)


def _visible_record(request, record_id: int, without_xml: bool = False) -> Record:
    records = visible_records(request.user).select_related("session__instrument")
    return get_object_or_404(records.defer("xml") if without_xml else records, pk=record_id)


def _activities(record: Record, files: list, paginated: bool) -> list:
    """Activities with their setup and the files of this page; paginated pages skip activities without any."""
    by_activity = {}
    for data_file in files:
        by_activity.setdefault(data_file["activity"] or 0, []).append(data_file)
    activities = []
    for activity in (record.data or {}).get("activities", []):
        index = activity.get("index")
        if paginated and index not in by_activity:
            continue
        setup = activity.get("setup") or {}
        setup_items = [(key, _display(value)) for key, value in sorted(setup.items())]
        activities.append({**activity, "setup_items": setup_items, "files": by_activity.pop(index, [])})
    for index, rest in sorted(by_activity.items()):
        activities.append({"index": index or "—", "mode": "", "setup_items": [], "files": rest,
                           "file_count": len(rest)})
    for activity in activities:
        activity["rows"] = mark_safe("".join(f["row"] for f in activity["files"]))  # noqa: S308 - rows are escaped
    return activities


def _file_row(data_file: dict, url: str) -> str:
    path, preview_url = escape(data_file["relative_path"]), escape(data_file["preview_url"])
    name = FILE_NAME_WITH_PREVIEW.format(path, preview_url) if data_file["preview"] else path
    version = FILE_VERSION.format(data_file["version"]) if data_file["version"] != 1 else ""
    return FILE_ROW.format(failed=FAILED_ROW if data_file["error"] else "", name=name, version=version,
                           format=escape(data_file["format"] or "file"), size=escape(filesizeformat(data_file["size"])),
                           url=escape(url))


def _with_rows(record: Record, files) -> list:
    """File dicts with their preview URL and their table row, rendered here in one pass."""
    base = f"/records/{record.pk}/files/"
    files = list(files)
    for data_file in files:
        url = f"{base}{data_file['id']}/"
        data_file["preview_url"] = f"{url}preview.png"
        data_file["row"] = _file_row(data_file, url)
    return files


def _strip(gallery: list) -> str:
    """The gallery's strip of small previews, the first one current."""
    items = []
    for position, data_file in enumerate(gallery):
        src, caption = escape(data_file["preview_url"]), escape(data_file["relative_path"])
        items.append(GALLERY_ITEM.format(" current" if position == 0 else "", src, caption, src))
    return mark_safe("".join(items))  # noqa: S308 - every value is escaped


def record_detail(request, record_id: int):
    """/records/<id>/: summary, activities with setup and files (paginated), gallery and downloads."""
    record = _visible_record(request, record_id, without_xml=True)
    files = (
        DataFile.objects.filter(session_id=record.session_id)
        .order_by("activity", "acquired", "relative_path", "version")
        .values(*FILE_COLUMNS)
    )
    paginator = Paginator(files, FILES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page_files = _with_rows(record, page.object_list)
    gallery = [f for f in page_files if f["preview"]]
    context = {
        "record": record,
        "session": record.session,
        "activities": _activities(record, page_files, paginated=paginator.num_pages > 1),
        "page": page,
        "gallery": gallery,
        "strip": _strip(gallery),
        "can_share": can_share(request.user, record),
        "visibilities": Visibility.choices,
    }
    return render(request, "records/detail.html", context)


def _visible_file(request, record_id: int, file_id: int):
    record = _visible_record(request, record_id, without_xml=True)
    return get_object_or_404(DataFile.objects.select_related("session__instrument"), pk=file_id,
                             session_id=record.session_id)


def file_download(request, record_id: int, file_id: int):
    return downloads.file_response(_visible_file(request, record_id, file_id))


def file_preview(request, record_id: int, file_id: int):
    return downloads.preview_response(_visible_file(request, record_id, file_id), request.GET.get("signal"))


def file_metadata(request, record_id: int, file_id: int):
    """An HTML fragment with one file's metadata, loaded on demand by the detail page."""
    data_file = _visible_file(request, record_id, file_id)
    items = [(key, _display(value)) for key, value in sorted((data_file.metadata or {}).items())]
    return render(request, "records/file_metadata.html", {"file": data_file, "items": items})


def record_xml(request, record_id: int):
    return downloads.xml_response(_visible_record(request, record_id), attachment=True)


def record_json(request, record_id: int):
    return downloads.json_response(_visible_record(request, record_id))


def record_zip(request, record_id: int):
    return downloads.zip_response(_visible_record(request, record_id))


def session_record(request, session_id):
    """/records/session/<uuid>/: the session's record once built, else a page with its state."""
    session = get_object_or_404(visible_sessions(request.user).select_related("instrument"), pk=session_id)
    record = Record.objects.filter(session=session).only("pk").first()
    if record is not None:
        return redirect("records:detail", record_id=record.pk)
    return render(request, "records/building.html", {"session": session})


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """/accounts/token/: show the personal API token; POST regenerates it."""
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
    else:
        token = Token.objects.filter(user=request.user).first()
        if token is None:
            token = Token.objects.create(user=request.user)
    return render(request, "records/token.html", {"token": token, "regenerated": request.method == "POST"})
