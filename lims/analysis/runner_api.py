"""The API of runners on other hosts: claim a run of their queue (long poll), read its inputs, report progress,
send outputs, finish. A runner token (`Authorization: Runner <key>`) can do nothing else, and only for runs of
its queue that it claimed."""
import re
import time
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.analysis import runs
from lims.analysis.models import Run, RunnerToken
from lims.analysis.supervisor import folder_bytes, run_folder
from lims.core.exceptions import PayloadTooLarge
from lims.sessions import objects
from lims.sessions.models import DataFile

LONG_POLL_SECONDS = 25.0
_SAFE_NAME = re.compile(r"^[\w.-]+(/[\w.-]+)*$")


class _Raw(BaseParser):
    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


def _token(request) -> RunnerToken:
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    token = RunnerToken.objects.filter(key=key.strip()).first() if scheme == "Runner" and key else None
    if token is None:
        raise NotAuthenticated("Send a runner token: Authorization: Runner <key>.")
    return token


def _claimed(token: RunnerToken, run_id) -> Run:
    run = Run.objects.select_related("method", "record__session").filter(
        pk=run_id, method__queue=token.queue, worker=f"runner:{token.name}").first()
    if run is None:
        raise NotFound("No run of this runner.")
    return run


def _job(request, run: Run) -> dict:
    base = request.build_absolute_uri(f"/api/v1/runner/runs/{run.pk}/")
    return {
        "id": str(run.pk), "kind": run.method.kind, "target": run.method.target, "params": run.params,
        "schema": run.method.param_schema, "method": run.method.slug, "version": run.method.version,
        "inputs": [{**item, "url": f"{base}inputs/{item['file_id']}"} for item in run.inputs],
    }


class RunnerView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class ClaimView(RunnerView):
    """Claim the oldest queued run of the token's queue, waiting up to `wait` seconds (at most 25); 204 when none."""

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 204: None})
    def post(self, request):
        token = _token(request)
        if request.data.get("queue", token.queue) != token.queue:
            raise ValidationError({"queue": f"this token serves the queue {token.queue!r} only"})
        try:
            wait = min(max(float(request.data.get("wait", LONG_POLL_SECONDS)), 0.0), LONG_POLL_SECONDS)
        except (TypeError, ValueError):
            raise ValidationError({"wait": "a number of seconds"}) from None
        deadline = time.monotonic() + wait
        while True:
            queued = Run.objects.filter(state=Run.State.QUEUED, method__queue=token.queue).order_by("created")
            for run_id in queued.values_list("pk", flat=True)[:10]:
                if runs.move(run_id, Run.State.RUNNING, [Run.State.QUEUED], worker=f"runner:{token.name}",
                             attempts=F("attempts") + 1, progress=0.0, message="claimed by a runner"):
                    return Response(_job(request, _claimed(token, run_id)))
            if time.monotonic() >= deadline:
                return Response(status=status.HTTP_204_NO_CONTENT)
            time.sleep(0.5)


class InputView(RunnerView):
    """The bytes of one input file of a claimed run."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, file_id):
        run = _claimed(_token(request), pk)
        if file_id not in {item["file_id"] for item in run.inputs}:
            raise NotFound("Not an input of this run.")
        datafile = DataFile.objects.select_related("session__instrument").get(pk=file_id)
        try:
            body = objects.response_body(datafile.storage_key)
        except FileNotFoundError:
            raise NotFound("The file is not in storage.") from None
        return FileResponse(body, content_type="application/octet-stream")


class ProgressView(RunnerView):
    """Progress, message and log tail of a claimed run (its heartbeat); answers whether it was cancelled."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        from django.utils import timezone

        run = _claimed(_token(request), pk)
        try:
            progress = min(max(float(request.data.get("progress", run.progress)), 0.0), 1.0)
        except (TypeError, ValueError):
            raise ValidationError({"progress": "a number from 0 to 1"}) from None
        Run.objects.filter(pk=run.pk, state=Run.State.RUNNING).update(
            progress=progress, message=str(request.data.get("message", ""))[:300],
            log=str(request.data.get("log", run.log))[-64 * 1024:], heartbeat=timezone.now())
        run.refresh_from_db()
        return Response({"cancel": run.cancel_requested or run.state != Run.State.RUNNING, "state": run.state})


class OutputView(RunnerView):
    """PUT one output file of a claimed run (its body is the file); the outputs of a run are capped."""

    parser_classes = [_Raw]

    @extend_schema(request={"application/octet-stream": OpenApiTypes.BINARY}, responses={201: None})
    def put(self, request, pk, name):
        run = _claimed(_token(request), pk)
        if run.state != Run.State.RUNNING:
            raise NotFound("The run is not running.")
        if not _SAFE_NAME.match(name) or ".." in name.split("/"):
            raise ValidationError({"name": "letters, digits, '.', '-', '_' and '/' between names only"})
        out = run_folder(run.pk) / "out"
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        cap = settings.ANALYSIS_OUTPUT_LIMIT_MB * 1024 * 1024
        used = folder_bytes(out)
        with open(target, "wb") as handle:
            for piece in iter(lambda: request.stream.read(1024 * 1024), b""):
                used += len(piece)
                if used > cap:
                    handle.close()
                    target.unlink()
                    raise PayloadTooLarge(f"The outputs of a run are limited to {settings.ANALYSIS_OUTPUT_LIMIT_MB} MB.")
                handle.write(piece)
        return Response(status=status.HTTP_201_CREATED)


class FinishView(RunnerView):
    """End a claimed run: SUCCEEDED (its outputs become the derived record), FAILED or CANCELLED."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        import shutil

        from lims.analysis.derived import create_derived

        run = _claimed(_token(request), pk)
        state = request.data.get("state")
        if state not in (Run.State.SUCCEEDED, Run.State.FAILED, Run.State.CANCELLED):
            raise ValidationError({"state": "SUCCEEDED, FAILED or CANCELLED"})
        fields = {"log": str(request.data.get("log", run.log))[-64 * 1024:],
                  "environment": request.data.get("environment") or {}}
        folder = run_folder(run.pk)
        try:
            if state == Run.State.SUCCEEDED:
                create_derived(run, folder / "out", summary=request.data.get("summary") or {}, **fields)
            else:
                runs.move(run.pk, state, [Run.State.RUNNING], error=str(request.data.get("error", ""))[:2000],
                          **fields)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        run.refresh_from_db()
        return Response({"state": run.state})
