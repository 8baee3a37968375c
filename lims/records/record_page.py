"""What the record page shows besides the summary: the page of files grouped by activity, the activity
navigator, the files with problems, and the way back to the search.

A page holds up to FILES_PER_PAGE files, read as plain dicts in one query; everything a row shows
is prepared here once per file, so the template only places it.
"""
from urllib.parse import urlsplit

from django.core.paginator import Paginator
from django.db.models.fields.json import KeyTransform
from django.template.defaultfilters import filesizeformat

from lims.instruments import times
from lims.records import display
from lims.records.models import Record
from lims.sessions.models import DataFile

FILES_PER_PAGE = 500
PROBLEMS_SHOWN = 50  # files with errors or warnings listed at the top of a record
BADGE_CHARACTERS = 70  # of a problem shown in a file's row; the whole text is its title
FILE_COLUMNS = ("id", "relative_path", "version", "size", "format", "signal_type", "activity", "acquired", "preview",
                "error", "warnings")


def back_url(request) -> str:
    """The search the visitor came from (same site, /records/?...), else the records list."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path == "/records/":
        return f"/records/?{referer.query}" if referer.query else "/records/"
    return "/records/"


def _activities(record: Record, files: list, zone: str, paginated: bool) -> list:
    """Activities in time order with their common setup and the files of this page.

    Paginated pages skip activities without a file on the page; files whose activity the record
    does not list (a build under way) come last.
    """
    by_activity = {}
    for data_file in files:
        by_activity.setdefault(data_file["activity"] or 0, []).append(data_file)
    activities = []
    for activity in record.activities():
        index = activity.get("index")
        if paginated and index not in by_activity:
            continue
        setup = activity.get("setup") or {}
        activities.append({
            **activity,
            "when": times.local_range(activity.get("start"), activity.get("end"), zone),
            "setup_items": display.settings(setup),
            "setup_axes": display.axes(setup.get("dimensions")),
            "files": by_activity.pop(index, []),
        })
    for index, rest in sorted(by_activity.items()):
        activities.append({"index": index or "—", "mode": "", "setup_items": [], "files": rest, "file_count": len(rest)})
    return activities


def _navigator(record: Record, zone: str, on_page: set, page_of: dict) -> list:
    """Every activity of the record for the side navigator, with the link that reaches it."""
    items = []
    for activity in record.activities():
        index = activity.get("index")
        anchor = f"#activity-{index}"
        url = anchor if index in on_page else f"?page={page_of.get(index, 1)}{anchor}"
        items.append({"index": index, "mode": activity.get("mode", ""), "file_count": activity.get("file_count", 0),
                      "when": times.local_range(activity.get("start"), activity.get("end"), zone), "url": url})
    return items


def _pages_of_activities(record: Record) -> dict:
    """Activity index -> page of the (unfiltered) files table where it starts."""
    pages, before = {}, 0
    for activity in record.activities():
        pages[activity.get("index")] = before // FILES_PER_PAGE + 1
        before += activity.get("file_count") or 0
    return pages


def _problem(data_file: dict) -> dict | None:
    """The badge of a file's row: why it was not read, else its first warning."""
    text, kind = (data_file["error"], "bad") if data_file["error"] else ((data_file["warnings"] or [""])[0], "warn")
    return {"kind": kind, "text": text, "short": text if len(text) <= BADGE_CHARACTERS else
            text[:BADGE_CHARACTERS - 1] + "…"} if text else None


def _prepared(record: Record, files, zone: str) -> list:
    """File dicts of a page with their links, local time, size and problem, in one pass (the template only
    places them: a page holds up to FILES_PER_PAGE rows)."""
    base = f"/records/{record.pk}/files/"
    files = list(files)
    for data_file in files:
        url = f"{base}{data_file['id']}/"
        # ids as text: the template engine formats numbers as it renders them, a cost per row
        data_file.update(key=str(data_file["id"]), url=url, preview_url=f"{url}preview.png",
                         size_text=filesizeformat(data_file["size"]),
                         when=times.local(data_file["acquired"], zone, fmt=times.TIME), problem=_problem(data_file),
                         scalebar=display.scalebar(data_file) if data_file["preview"] else None)
    return files


def _filtered(files, name: str, kind: str):
    if name:
        files = files.filter(relative_path__icontains=name)
    if kind:
        files = files.filter(format=kind)
    return files


def _problems(record: Record) -> tuple[list, int]:
    """Files that failed or gave warnings (the first PROBLEMS_SHOWN) and how many there are."""
    troubled = (DataFile.objects.filter(session_id=record.session_id).exclude(error="", warnings=[])
                .order_by("acquired", "relative_path", "version"))
    shown = list(troubled.values("id", "relative_path", "version", "error", "warnings")[:PROBLEMS_SHOWN])
    count = len(shown) if len(shown) < PROBLEMS_SHOWN else troubled.count()
    for problem in shown:
        problem["page_url"] = f"/records/{record.pk}/files/{problem['id']}/view/"
    return shown, count


def files_part(record: Record, query) -> dict:
    """The files of the requested page (`?page`, filtered by `?name` and `?type`), their activities, the
    gallery of the page, the navigator over every activity and the files with problems."""
    zone = record.session.instrument.timezone
    name, kind = query.get("name", "").strip()[:200], query.get("type", "").strip()[:64]
    files = _filtered(DataFile.objects.filter(session_id=record.session_id), name, kind)
    files = files.order_by("activity", "acquired", "relative_path", "version").values(
        *FILE_COLUMNS, dimensions=KeyTransform("dimensions", "metadata"))
    paginator = Paginator(files, FILES_PER_PAGE)
    page = paginator.get_page(query.get("page"))
    page_files = _prepared(record, page.object_list, zone)
    activities = _activities(record, page_files, zone, paginated=paginator.num_pages > 1 or bool(name or kind))
    problems, problem_count = _problems(record)
    on_page = {a["index"] for a in activities}
    return {
        "activities": activities,
        "navigator": _navigator(record, zone, on_page, {} if name or kind else _pages_of_activities(record)),
        "page": page,
        "gallery": [f for f in page_files if f["preview"]],
        "problems": problems,
        "problem_count": problem_count,
        "filter": {"name": name, "type": kind, "active": bool(name or kind)},
    }
