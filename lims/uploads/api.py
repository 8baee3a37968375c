"""tus 1.0 endpoints (core, creation, checksum, termination) for files of a session.

Our own small implementation rather than the drf-tus package (2.0.3): drf-tus reads every chunk
whole into memory (`request.body`), brings its own Upload model and middleware (plus django-fsm,
jsonfield and six), and knows neither our storage layout, nor instrument-scoped tokens, nor
DataFile versions. Here a chunk is streamed to disk in 1 MiB pieces (see storage.py).
"""
import io
import uuid

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lims.core.exceptions import PreconditionFailed, UnsupportedMediaType
from lims.core.permissions import Scoped, visible_sessions
from lims.sessions.models import Session
from lims.uploads import services, storage
from lims.uploads.models import Upload

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,termination"
CHUNK_TYPE = "application/offset+octet-stream"


def _header(name: str, description: str, required: bool = True, response=False) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, required=required,
                            description=description, response=response)


TUS_RESUMABLE = _header("Tus-Resumable", "Protocol version: 1.0.0.")
ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description='{"detail": "...", "code": "..."}')


class ChunkParser(BaseParser):
    """Names the tus chunk media type; the body itself is streamed by the view, never parsed."""

    media_type = CHUNK_TYPE

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


class _TusView(APIView):
    permission_classes = [Scoped]

    def get_permissions(self):
        # Discovery is public, as tus clients ask before they authenticate.
        if self.request.method == "OPTIONS":
            return []
        return super().get_permissions()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
            raise PreconditionFailed()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            response["Tus-Version"] = TUS_VERSION
        return response

    def options(self, request, *args, **kwargs):
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = TUS_EXTENSIONS
        response["Tus-Checksum-Algorithm"] = ",".join(storage.CHECKSUM_ALGORITHMS)
        response["Tus-Max-Size"] = str(settings.UPLOAD_MAX_SIZE)
        return response

    def _offset_response(self, upload: Upload, code: int, **headers) -> Response:
        response = Response(status=code)
        response["Upload-Offset"] = str(upload.offset)
        for name, value in headers.items():
            response[name.replace("_", "-")] = value
        return response


class UploadCreateView(_TusView):
    """POST creates an upload of one file of a session; OPTIONS tells what this server supports."""

    detail_route = "upload-detail"  # the named route of an upload, given in Location

    @extend_schema(
        summary="Create an upload (tus creation)",
        request=None,
        parameters=[
            TUS_RESUMABLE,
            _header("Upload-Length", "Size of the whole file in bytes."),
            _header("Upload-Metadata", "Comma-separated `key base64(value)`: session, filename, mtime, sha256."),
            _header("Location", "URL of the upload: /api/v1/uploads/<id>.", response=[201]),
            _header("Upload-Offset", "How many bytes the server already has.", response=[201]),
        ],
        responses={
            201: OpenApiResponse(description="Created (or the existing upload of the same file).",
                                 response=None),
            400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 412: ERROR, 413: ERROR,
        },
    )
    def post(self, request):
        length = services.parse_length(request.headers.get("Upload-Length"))
        metadata = services.parse_metadata(request.headers.get("Upload-Metadata"))
        session = self._session(request, metadata.get("session"))
        upload = services.create_upload(session, length, metadata)
        location = reverse(self.detail_route, args=[upload.pk])
        return self._offset_response(upload, status.HTTP_201_CREATED, Location=location)

    def _session(self, request, session_id: str | None) -> Session:
        try:
            session_id = uuid.UUID(session_id or "")
        except ValueError:
            raise ValidationError({"session": "Upload-Metadata needs the session's id (a UUID)."}) from None
        session = get_object_or_404(Session.objects.select_related("instrument"), pk=session_id)
        self.check_object_permissions(request, session)
        return session


class UploadDetailView(_TusView):
    """HEAD tells how far an upload got, PATCH adds a chunk, DELETE abandons it."""

    parser_classes = [ChunkParser]

    def _upload(self, request, pk, read: bool = False) -> Upload:
        queryset = Upload.objects.select_related("session__instrument")
        if read:
            queryset = visible_sessions(queryset, request, "session__")
        upload = get_object_or_404(queryset, pk=pk)
        self.check_object_permissions(request, upload)
        return upload

    def head(self, request, pk):
        """Documented by lims.uploads.schema: drf-spectacular leaves HEAD out."""
        upload = self._upload(request, pk, read=True)
        return self._offset_response(upload, status.HTTP_200_OK, Upload_Length=str(upload.length),
                                     Cache_Control="no-store")

    @extend_schema(
        summary="Send a chunk (tus core and checksum)",
        request={CHUNK_TYPE: OpenApiTypes.BINARY},
        parameters=[
            TUS_RESUMABLE,
            _header("Upload-Offset", "Where this chunk starts: the current offset."),
            _header("Upload-Checksum", "`sha256 <base64 digest>` or `sha1 <base64 digest>` of this chunk.",
                    required=False),
            _header("Upload-Offset", "The new offset after this chunk.", response=[204]),
        ],
        responses={
            204: OpenApiResponse(description="Stored; the new Upload-Offset is in the header."),
            400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 412: ERROR, 415: ERROR,
            460: OpenApiResponse(OpenApiTypes.OBJECT, description="Checksum mismatch; the chunk was discarded."),
        },
    )
    def patch(self, request, pk):
        upload = self._upload(request, pk)
        if request.content_type.split(";")[0].strip() != CHUNK_TYPE:
            raise UnsupportedMediaType()
        offset = services.parse_offset(request.headers.get("Upload-Offset"))
        try:
            checksum = storage.parse_checksum(request.headers.get("Upload-Checksum"))
        except ValueError as exc:
            raise ValidationError({"Upload-Checksum": str(exc)}) from None
        try:
            services.receive_chunk(upload, offset, request.stream or io.BytesIO(), checksum)
        except Upload.DoesNotExist:
            raise NotFound("This upload was abandoned.") from None
        return self._offset_response(upload, status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Abandon an incomplete upload (tus termination)",
        parameters=[TUS_RESUMABLE],
        responses={204: None, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    def delete(self, request, pk):
        services.abandon(self._upload(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
