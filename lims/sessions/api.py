"""Sessions API: start (idempotent on the client's id), read, list, heartbeat, notes, end, files."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from lims.core.authentication import instrument_of
from lims.core.permissions import OTHER_INSTRUMENT, Scoped, visible_sessions
from lims.sessions import services
from lims.sessions.models import Session
from lims.sessions.serializers import (
    DataFileSerializer,
    EndSerializer,
    HeartbeatSerializer,
    NoteEventSerializer,
    NoteSerializer,
    SessionSerializer,
    SessionStartSerializer,
)

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description='{"detail": "...", "code": "..."}')
LIST_PARAMETERS = [
    OpenApiParameter("instrument", OpenApiTypes.STR, description="PID of the instrument."),
    OpenApiParameter("state", OpenApiTypes.STR, enum=Session.State.values, description="Session state."),
]
# Actions find any session and then refuse with 403; reads see only what the caller may see (404).
ACTIONS = {"heartbeat", "notes", "end"}


@extend_schema_view(
    list=extend_schema(summary="List sessions", parameters=LIST_PARAMETERS),
    retrieve=extend_schema(summary="One session"),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Instrument sessions; instruments and staff make them, people read the ones they own."""

    serializer_class = SessionSerializer
    permission_classes = [Scoped]

    def get_queryset(self):
        queryset = Session.objects.select_related("instrument", "record")
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return queryset.none()
        if self.action in ACTIONS:
            return queryset
        queryset = visible_sessions(queryset, self.request)
        if self.action != "list":
            return queryset
        counts = {f"files_{key}": count for key, count in Session.FILE_COUNTS.items()}
        queryset = queryset.annotate(**counts).order_by("-start", "pk")
        pid = self.request.query_params.get("instrument")
        if pid:
            queryset = queryset.filter(instrument__pid=pid)
        state = self.request.query_params.get("state")
        if state:
            if state.upper() not in Session.State.values:
                raise ValidationError({"state": f"Unknown state {state!r}; one of {', '.join(Session.State.values)}."})
            queryset = queryset.filter(state=state.upper())
        return queryset

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, session, code=status.HTTP_200_OK):
        return Response(SessionSerializer(session).data, status=code)

    @extend_schema(
        summary="Start a session",
        request=SessionStartSerializer,
        responses={201: SessionSerializer, 200: SessionSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
        description="Idempotent on the client's id: the same id again answers 200 with the same session. "
        'Another open session on the instrument answers 409 {"code": "session_open", "open_session": id}.',
    )
    def create(self, request, *args, **kwargs):
        data = dict(self._input(SessionStartSerializer))
        own = instrument_of(request)
        instrument = data.pop("instrument", None) or own
        if instrument is None:
            raise ValidationError({"instrument": "Give the instrument's PID (only instrument tokens may omit it)."})
        if own is not None and instrument.pk != own.pk:
            raise PermissionDenied(OTHER_INSTRUMENT)
        session, created = services.start_session(instrument=instrument, **data)
        return self._answer(session, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="Heartbeat of an active session",
        request=HeartbeatSerializer,
        responses={200: SessionSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["post"])
    def heartbeat(self, request, pk=None):
        session = self.get_object()
        at = self._input(HeartbeatSerializer).get("at")
        return self._answer(services.heartbeat(session, at))

    @extend_schema(
        summary="Add a note",
        request=NoteSerializer,
        responses={201: NoteEventSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        session = self.get_object()
        event = services.add_note(session, self._input(NoteSerializer)["text"])
        return Response(NoteEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a session and queue its record",
        request=EndSerializer,
        responses={200: SessionSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        session = self.get_object()
        at = self._input(EndSerializer).get("end")
        return self._answer(services.end_session(session, at))

    @extend_schema(summary="Files of a session", responses={200: DataFileSerializer(many=True), 404: ERROR})
    @action(detail=True, methods=["get"], serializer_class=DataFileSerializer)
    def files(self, request, pk=None):
        session = self.get_object()
        page = self.paginate_queryset(session.files.order_by("relative_path", "version"))
        return self.get_paginated_response(DataFileSerializer(page, many=True).data)
