"""The search page `/records/` and its CSV download: the URL holds the whole search.

Facet values are checkboxes that add or remove a value of the query's filter on that facet
(several values of one facet mean either); the month histogram and the from/to fields set one
date range; numeric buckets add a range. When a query cannot be understood, the page shows the
message beside the facets and results of the last query that worked (sent along as `last`).
"""
from urllib.parse import urlencode

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render

from lims.records.models import Record
from lims.search.export import COLUMNS, DEFAULT_COLUMNS, ColumnError, columns_from, csv_download
from lims.search.facets import FACETS, FIELD_OF, LABELS, NUMERIC_FACETS
from lims.search.query import And, Dates, Filter, Query, QueryError, parse
from lims.search.service import SORTS, search

MONTHS_SHOWN = 36


def _int(value, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _with_parts(parts: list) -> str:
    return str(Query(None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))))


def _url(q: str, sort: str, **extra) -> str:
    return "?" + urlencode({"q": q, "sort": sort, **extra})


def toggled(query: Query, facet: str, value: str) -> tuple[str, bool]:
    """The query text with `value` added to (or removed from) its filter on `facet`, and whether it was there."""
    parts = query.parts
    current = next((p for p in parts if isinstance(p, Filter) and p.facet == facet), None)
    if current is None:
        return _with_parts([*parts, Filter(facet, (value,), FIELD_OF.get(facet, facet))]), False
    values = [v for v in current.values if v.lower() != value.lower()]
    active = len(values) < len(current.values)
    if not active:
        values.append(value)
    changed = Filter(facet, tuple(values), current.field) if values else None
    return _with_parts([changed if p is current else p for p in parts if p is not current or changed]), active


def _facet_groups(query: Query, sort: str, facets: dict) -> list:
    groups = []
    for name in FACETS:
        if name == "month":
            continue
        items = []
        for value, count in facets.get(name, []):
            new_q, active = toggled(query, name, value)
            items.append({"value": value, "count": count, "active": active, "url": _url(new_q, sort)})
        if items:
            groups.append({"name": name, "label": LABELS[name], "items": items})
    return groups


def _histogram(query: Query, sort: str, months: list) -> dict:
    """Bars of the month facet (oldest left), each a link to that month; the current date range, if any."""
    shown = sorted(months)[-MONTHS_SHOWN:]
    highest = max((n for _, n in shown), default=0)
    rest = [p for p in query.parts if not isinstance(p, Dates)]
    bars = [{"month": month, "count": n, "height": max(4, round(100 * n / highest)) if highest else 0,
             "url": _url(_with_parts([*rest, parse(f"date:{month}").root]), sort)} for month, n in shown]
    dates = next((p for p in query.parts if isinstance(p, Dates) and not p.relative), None)
    return {"bars": bars, "last_month": shown[-1][0] if shown else "", "first": f"{dates.first:%Y-%m-%d}" if dates and dates.first else "",
            "last": f"{dates.last:%Y-%m-%d}" if dates and dates.last else "",
            "clear_url": _url(_with_parts(rest), sort) if len(rest) < len(query.parts) else ""}


def _numeric_groups(query: Query, sort: str, buckets: dict) -> list:
    groups = []
    labels = {str(p) for p in query.parts}
    for facet in NUMERIC_FACETS:
        items = []
        for bucket, count in zip(facet.buckets, buckets.get(facet.name, [])):
            node = parse(bucket.query).root
            active = str(node) in labels
            parts = [p for p in query.parts if str(p) != str(node)] if active else [*query.parts, node]
            if count or active:
                items.append({"value": bucket.label, "count": count, "active": active,
                              "url": _url(_with_parts(parts), sort)})
        if items:
            groups.append({"name": facet.name, "label": facet.label, "items": items})
    return groups


def _with_date_fields(request, q: str) -> str | None:
    """The query with the page's from/to date fields folded in as one `date:` range, or None when not sent."""
    if "from" not in request.GET and "to" not in request.GET:
        return None
    first, last = request.GET.get("from", "").strip(), request.GET.get("to", "").strip()
    try:
        rest = [p for p in parse(q).parts if not isinstance(p, Dates)]
    except QueryError:
        return None
    if first or last:
        rest.append(parse(f"date:{first}..{last}").root)
    return _with_parts(rest)


def record_list(request):
    """/records/: search box, facets with counts, result cards and pages."""
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "date")
    sort = sort if sort in SORTS else "date"
    page = _int(request.GET.get("page"), 1)
    try:
        folded = _with_date_fields(request, q)
    except QueryError:
        folded = None
    if folded is not None:
        return HttpResponseRedirect(_url(folded, sort))
    context = {"q": q, "last": q, "sort": sort, "sorts": SORTS, "error": "", "result": None,
               "columns": [{"name": name, "checked": name in DEFAULT_COLUMNS} for name in COLUMNS]}
    try:
        result = search(request.user, q, page=page, sort=sort)
    except QueryError as exc:
        context["error"] = str(exc)
        context["last"] = last = request.GET.get("last", "").strip()
        try:
            result = search(request.user, last, sort=sort)
        except QueryError:
            result = search(request.user, "", sort=sort)
            context["last"] = ""
    if page > result.pages and not context["error"]:
        return HttpResponseRedirect(_url(q, sort, page=result.pages))
    shown_q = context["last"] if context["error"] else q
    previews = Record.preview_files(result.records)
    context.update(
        result=result,
        cards=[{"record": r, "preview": previews.get(r.pk)} for r in result.records],
        facets=_facet_groups(result.query, sort, result.facets),
        numeric=_numeric_groups(result.query, sort, result.buckets),
        histogram=_histogram(result.query, sort, result.facets.get("month", [])),
        suggestions=[{**s, "url": _url(s["query"], sort)} for s in result.suggestions],
        previous_url=_url(shown_q, sort, page=result.page - 1) if result.page > 1 else "",
        next_url=_url(shown_q, sort, page=result.page + 1) if result.page < result.pages else "",
        export_q=shown_q,
    )
    # A refused query answers 400, with the message beside the last query's results and facets.
    return render(request, "records/list.html", context, status=400 if context["error"] else 200)


def record_export(request):
    """/records/export.csv?q=...&fields=a&fields=b: the matching records as CSV."""
    q = request.GET.get("q", "")
    try:
        parse(q)
        columns = columns_from(",".join(request.GET.getlist("fields")))
    except (QueryError, ColumnError) as exc:
        return HttpResponseBadRequest(f"Cannot export: {exc}", content_type="text/plain; charset=utf-8")
    return csv_download(request, q, columns)
