"""One error format for the API: {"detail": "...", "code": "..."} plus field errors when any.

Every answer of /api/ in the 4xx and 5xx ranges has it: DRF's exceptions, errors DRF does not know
(a database that is away is a 503 to retry, a full disk a 507, anything else a 500 whose details
go to the log, never to the client), and Django's own 400/403/404/500 pages (see lims.core.views).
"""
import errno
import logging

from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class Conflict(APIException):
    """409: the request clashes with the current state (an open session, a wrong offset...)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **extra):
        super().__init__(detail, code)
        # Extra keys go into the error body next to detail and code (e.g. open_session).
        self.extra = extra


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is larger than this server accepts."
    default_code = "too_large"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Unsupported protocol version: send Tus-Resumable: 1.0.0."
    default_code = "tus_version"


class UnsupportedMediaType(APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = "Send the chunk with Content-Type: application/offset+octet-stream."
    default_code = "unsupported_media_type"


class ChecksumMismatch(APIException):
    """460 (tus checksum extension): the bytes received do not match the announced checksum."""

    status_code = 460
    default_detail = "Checksum mismatch: the data received does not match the checksum sent."
    default_code = "checksum_mismatch"


class ServiceUnavailable(APIException):
    """503: a service the server needs (the database) is away for a moment; retry."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database cannot be reached right now; retry in a few seconds."
    default_code = "unavailable"


class InsufficientStorage(APIException):
    status_code = status.HTTP_507_INSUFFICIENT_STORAGE
    default_detail = "The server's disk is full; the data was not stored. Retry later."
    default_code = "disk_full"


class ServerError(APIException):
    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail = "Internal server error; the details are in the server's log."
    default_code = "server_error"


def _as_api_exception(exc) -> APIException:
    """The APIException an error DRF does not know stands for; logs what the client is not told."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        log.warning("database unavailable: %s", exc)
        return ServiceUnavailable()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        log.error("disk full: %s", exc)
        return InsufficientStorage()
    log.error("unexpected error in the API", exc_info=exc)
    return ServerError()


def error_body(detail: str, code: str) -> dict:
    return {"detail": detail, "code": code}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        exc = _as_api_exception(exc)
        set_rollback()
        response = Response(error_body(str(exc.detail), exc.detail.code), status=exc.status_code)
        if isinstance(exc, ServiceUnavailable):
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None)
        if code and "code" not in data:
            data["code"] = code
        data.update(getattr(exc, "extra", None) or {})
    elif isinstance(data, (dict, list)):
        response.data = {"detail": _summarise(data), "code": "invalid", "errors": data}
    return response


def _summarise(errors) -> str:
    """A one-line message from DRF's field errors: 'user: This field is required.'"""
    if isinstance(errors, list):
        return "; ".join(str(item) for item in errors)
    parts = []
    for field, messages in errors.items():
        if isinstance(messages, (list, tuple)):
            messages = " ".join(str(m) for m in messages)
        parts.append(f"{field}: {messages}")
    return "; ".join(parts)
