"""One error format for the API: {"detail": "...", "code": "..."} plus field errors when any."""
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


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


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
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
