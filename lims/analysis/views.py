"""Analysis pages: the method catalogue, "Analyse" for a record, the run form, a run's page, my runs."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lims.analysis import forms, registry, services
from lims.analysis.api import visible_runs
from lims.analysis.models import Run
from lims.records.permissions import visible_record_or_404


def catalogue(request):
    """/analysis/methods/: every method, what it reads, its parameters."""
    methods = registry.catalogue()
    return render(request, "analysis/catalogue.html", {
        "methods": [(method, forms.fields(method.param_schema)) for method in methods]})


def _accepted(record, method) -> list:
    files = record.session.files.filter(error="").order_by("acquired", "relative_path", "version")
    return list(files.filter(signal_type__in=method.accepts) if method.accepts else files)


def analyse(request, record_id: int):
    """/analysis/records/<id>/: the methods that read some file of this record."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    types = set(record.session.files.filter(error="").values_list("signal_type", flat=True))
    methods = [m for m in registry.catalogue() if not m.accepts or types & set(m.accepts)]
    return render(request, "analysis/analyse.html", {"record": record, "methods": methods})


@login_required
def run_form(request, record_id: int, slug: str):
    """/analysis/records/<id>/<slug>/: the form generated from the method's parameters; POST starts the run."""
    record = visible_record_or_404(request.user, record_id, without_xml=True)
    method = registry.latest(slug, request.GET.get("version") or request.POST.get("version"))
    if method is None:
        raise Http404("No such method.")
    files = _accepted(record, method)
    values, chosen, errors, earlier = {}, {f.pk for f in files}, {}, None
    if request.GET.get("from"):
        previous = visible_runs(request.user).filter(pk=request.GET["from"], method__slug=slug).first()
        if previous is not None:
            values, chosen = previous.params, {i["file_id"] for i in previous.inputs}
    if request.method == "POST":
        params = forms.read(method.param_schema, request.POST)
        file_ids = [int(i) for i in request.POST.getlist("files") if i.isdigit()]
        try:
            if not file_ids:
                raise services.SubmissionError({"files": "choose at least one file"})
            run, reused = services.submit(request.user, slug, record.pk, file_ids, params,
                                          version=method.version, reuse=request.POST.get("recompute") != "yes")
        except services.SubmissionError as exc:
            errors, values, chosen = exc.errors, params, set(file_ids)
        else:
            if reused:
                earlier = run
            else:
                return redirect(run.get_absolute_url())
    return render(request, "analysis/run_form.html", {
        "record": record, "method": method, "files": files, "chosen": chosen, "earlier": earlier,
        "fields": forms.fields(method.param_schema, values, errors),
        "errors": {k: v for k, v in errors.items() if not k.startswith("params.")},
    }, status=400 if errors else 200)


def run_page(request, run_id):
    """/analysis/runs/<id>/: state, live progress and log, Cancel, Run again with changes, lineage."""
    run = get_object_or_404(visible_runs(request.user).select_related("record"), pk=run_id)
    return render(request, "analysis/run.html", {
        "run": run, "can_cancel": not run.is_final and (run.requested_by_id == request.user.pk or request.user.is_staff),
        "params": forms.fields(run.method.param_schema, run.params)})


@require_POST
@login_required
def cancel(request, run_id):
    run = get_object_or_404(visible_runs(request.user), pk=run_id)
    if run.requested_by_id != request.user.pk and not request.user.is_staff:
        raise Http404("No such run.")
    if services.cancel(run):
        messages.success(request, "Cancel requested." if run.state == Run.State.RUNNING else "Run cancelled.")
    else:
        messages.error(request, f"The run already ended ({run.state}).")
    return redirect(run.get_absolute_url())


@login_required
def my_runs(request):
    """/analysis/runs/: my runs, newest first."""
    runs = visible_runs(request.user).filter(requested_by=request.user).select_related("record")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(request, "analysis/my_runs.html", {"page": page})
