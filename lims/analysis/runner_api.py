"""The API of runners on other hosts: claim a run of their queue (long poll), read its inputs, report progress,
send outputs, finish. A runner token (`Authorization: Runner <key>`) can do nothing else, and only for runs of
its queue that it claimed.

Outputs go up with tus, through lims.uploads' own views mounted under `runner/uploads/` with the runner's
authentication: claiming a run stages the session its outputs become (`derived.staged_session`), and
the token may upload into the staged sessions of the runs it is running, nothing else. So an output is
acknowledged only once stored whole with its sha256 checked, and a dropped connection resumes.
"""
import time
import uuid

from django.conf import settings
from django.db.models import F, Sum
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.analysis import runs
from lims.analysis.derived import create_derived, staged_session
from lims.analysis.models import Run, RunnerToken
from lims.analysis.supervisor import run_folder
from lims.core.authentication import SessionsAgent
from lims.core.exceptions import Conflict, PayloadTooLarge
from lims.sessions import objects
from lims.sessions.models import DataFile, Session
from lims.uploads import services as uploads
from lims.uploads import storage
from lims.uploads.api import UploadCreateView, UploadDetailView
from lims.uploads.models import Upload

LONG_POLL_SECONDS = 25.0


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
        "outputs": {"session": str(staged_session(run).pk),
                    "uploads": request.build_absolute_uri(reverse("api-runner-uploads"))},
    }


def _running_sessions(token: RunnerToken):
    """The staged output sessions of the runs this runner is running: all its token may upload into."""
    return Session.objects.filter(derived_by__state=Run.State.RUNNING, derived_by__method__queue=token.queue,
                                  derived_by__worker=f"runner:{token.name}")


class RunnerAuthentication(BaseAuthentication):
    """`Authorization: Runner <key>` on the upload views: a caller limited to its running runs' sessions."""

    def authenticate(self, request):
        if request.method == "OPTIONS":
            return None  # tus discovery is public
        token = _token(request)
        return SessionsAgent(f"runner {token.name}", _running_sessions(token)), token

    def authenticate_header(self, request):
        return "Runner"


class RunnerAuthenticationScheme(OpenApiAuthenticationExtension):
    """Names the runner token in the OpenAPI schema."""

    target_class = RunnerAuthentication
    name = "runnerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Runner <key>`: a runner token (manage.py add_runner)."}


class _RunnerUploads:
    """lims.uploads' tus views as they are, authenticated by runner tokens, with the runner's routes in Location."""

    authentication_classes = [RunnerAuthentication]
    detail_route = "api-runner-upload"


class OutputUploadsView(_RunnerUploads, UploadCreateView):
    """tus creation of one output of a running run, in its staged session; the outputs of a run are capped."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "POST":
            metadata = uploads.parse_metadata(request.headers.get("Upload-Metadata"))
            session_id = metadata.get("session")
            session = request.user.sessions.filter(pk=session_id).first() if _is_uuid(session_id) else None
            if session is not None:
                _check_cap(session, uploads.parse_length(request.headers.get("Upload-Length")),
                           metadata.get("filename", ""))


class OutputUploadView(_RunnerUploads, UploadDetailView):
    """tus HEAD, PATCH and DELETE of one output upload of a running run."""


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _check_cap(session: Session, length: int, name: str) -> None:
    """Refuse an output that would take the run's outputs past ANALYSIS_OUTPUT_LIMIT_MB.

    The file's own earlier upload or version is not counted, so a repeated creation is not refused.
    """
    cap = settings.ANALYSIS_OUTPUT_LIMIT_MB * 1024 * 1024
    try:
        name = storage.safe_relative_path(name)
    except storage.UnsafePath:
        return  # refused with its reason by the creation itself
    stored = session.files.exclude(relative_path=name).aggregate(total=Sum("size"))["total"] or 0
    pending = session.uploads.filter(completed__isnull=True).exclude(relative_path=name).aggregate(
        total=Sum("length"))["total"] or 0
    if stored + pending + length > cap:
        raise PayloadTooLarge(f"The outputs of a run are limited to {settings.ANALYSIS_OUTPUT_LIMIT_MB} MB.")


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
        # the staged outputs' pulse: a session waiting for a live run is not a stalled build
        Session.objects.filter(pk=run.output_session_id, state=Session.State.ENDED).update(
            build_progress=timezone.now())
        run.refresh_from_db()
        return Response({"cancel": run.cancel_requested or run.state != Run.State.RUNNING, "state": run.state})


class FinishView(RunnerView):
    """End a claimed run: SUCCEEDED (its uploaded outputs become the derived record), FAILED or CANCELLED.

    SUCCEEDED is refused (409) while an output upload of the run is incomplete."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        import shutil

        run = _claimed(_token(request), pk)
        state = request.data.get("state")
        if state not in (Run.State.SUCCEEDED, Run.State.FAILED, Run.State.CANCELLED):
            raise ValidationError({"state": "SUCCEEDED, FAILED or CANCELLED"})
        if state == Run.State.SUCCEEDED and Upload.objects.filter(session=run.output_session_id,
                                                                 completed__isnull=True).exists():
            raise Conflict("An output of this run is still uploading; finish or abandon it first.",
                           code="outputs_incomplete")
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
