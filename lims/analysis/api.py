"""The analysis API: methods, runs (submit, list, detail, cancel, log, PROV-JSON)."""
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.analysis import provenance, registry, services
from lims.analysis.models import Run
from lims.analysis.serializers import MethodDetailSerializer, MethodSerializer, RunRequestSerializer, RunSerializer
from lims.core.authentication import InstrumentAgent
from lims.core.exceptions import Conflict
from lims.records.permissions import visible_record_or_404, visible_records


def visible_runs(user):
    """Runs whose input record `user` can see (a derived record is never more visible than its input)."""
    return Run.objects.filter(record__in=visible_records(user)).select_related(
        "method", "requested_by", "output_session__record")


def _run_or_404(user, run_id) -> Run:
    return get_object_or_404(visible_runs(user), pk=run_id)


def _people_only(request) -> None:
    if isinstance(request.user, InstrumentAgent):
        raise PermissionDenied("Instrument tokens cannot run analyses.")


class MethodListView(generics.ListAPIView):
    """Every registered method (its newest version)."""

    serializer_class = MethodSerializer

    def get_queryset(self):
        return registry.catalogue()


class MethodDetailView(APIView):
    """One method with its parameters' JSON Schema and its versions; `?version=` picks one."""

    @extend_schema(responses={200: MethodDetailSerializer, 404: OpenApiResponse(description="No such method.")})
    def get(self, request, slug):
        method = registry.latest(slug, request.query_params.get("version"))
        if method is None:
            raise NotFound(f"No method {slug!r}.")
        return Response(MethodDetailSerializer(method).data)


class RunListView(generics.ListAPIView):
    """GET: my runs, newest first (`?state=` filters). POST: run a method on a record.

    POST answers 201 with the new run, or 200 with `"reused": true` and an earlier run of the same
    method version on the same input bytes with the same parameters (send `"recompute": true` to
    compute again), or 400 naming each bad field.
    """

    serializer_class = RunSerializer

    def get_queryset(self):
        runs = visible_runs(self.request.user).filter(requested_by_id=self.request.user.pk)
        state = self.request.query_params.get("state")
        return runs.filter(state=state) if state else runs

    @extend_schema(request=RunRequestSerializer, responses={201: RunSerializer, 200: RunSerializer,
                                                            400: OpenApiResponse(description="Bad fields named.")})
    def post(self, request):
        _people_only(request)
        body = RunRequestSerializer(data=request.data)
        if not body.is_valid():
            raise ValidationError(body.errors)
        data = body.validated_data
        try:
            run, reused = services.submit(request.user, data["method"], data["record"], data.get("files"),
                                          data.get("params"), version=data.get("version"),
                                          reuse=not data.get("recompute", False))
        except services.SubmissionError as exc:
            raise ValidationError({field: [message] for field, message in exc.errors.items()}) from None
        answer = RunSerializer(run).data
        if reused:
            return Response({**answer, "reused": True}, status=status.HTTP_200_OK)
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Location": answer["url"]})


class RunDetailView(generics.RetrieveAPIView):
    """One run: state, progress, parameters, inputs, timings, environment, derived record."""

    serializer_class = RunSerializer

    def get_object(self):
        return _run_or_404(self.request.user, self.kwargs["pk"])


class RunCancelView(APIView):
    """Cancel a run: a queued one never starts, a running one is stopped (SIGTERM, then SIGKILL after 10 s)."""

    @extend_schema(request=None, responses={202: RunSerializer, 403: OpenApiResponse(description="Not yours."),
                                            409: OpenApiResponse(description="Already ended.")})
    def post(self, request, pk):
        run = _run_or_404(request.user, pk)
        if run.requested_by_id != request.user.pk and not request.user.is_staff:
            raise PermissionDenied("Only the person who started a run (or staff) can cancel it.")
        if not services.cancel(run):
            raise Conflict(f"The run already ended ({run.state}).")
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunLogView(APIView):
    """The run's log (its last 64 KiB), as text."""

    @extend_schema(responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request, pk):
        run = _run_or_404(request.user, pk)
        return HttpResponse(run.log, content_type="text/plain; charset=utf-8")


class RunProvView(APIView):
    """The run's provenance as W3C PROV-JSON."""

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    def get(self, request, pk):
        run = _run_or_404(request.user, pk)
        return Response(provenance.prov_json(run))


class RecordCrateView(APIView):
    """The record as an RO-Crate zip: its files and XML; for a derived record, a Process Run Crate of its run."""

    permission_classes = [AllowAny]  # public records are readable by anyone, as their other downloads

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY,
                              404: OpenApiResponse(description="No such record, or not visible to the caller.")})
    def get(self, request, pk):
        from lims.analysis import rocrate

        record = visible_record_or_404(request.user, pk)
        handle, name = rocrate.zipped(record)
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
