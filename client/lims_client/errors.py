"""Errors the client raises, one per kind of answer; their text never contains the token."""
from __future__ import annotations



class LimsError(Exception):
    """Any error answer of the server, or a server that cannot be reached."""

    def __init__(self, message: str, status: int | None = None, code: str = ""):
        super().__init__(message)
        self.status = status
        self.code = code


class NotFound(LimsError):
    """404: no such object."""


class PermissionDenied(LimsError):
    """401 or 403: the token is missing, wrong or not allowed to do this."""


class NotVisible(NotFound, PermissionDenied):
    """404 for a record or file: it does not exist or you may not see it (the server does not say which)."""


class ValidationError(LimsError):
    """400: the request was refused; `fields` maps each field to its messages."""

    def __init__(self, message: str, fields: dict | None = None, status: int | None = 400, code: str = "invalid"):
        super().__init__(message, status, code)
        self.fields = fields or {}


class ChecksumMismatch(LimsError):
    """A downloaded file whose sha256 is not the one the server announced; nothing was kept."""


class RunFailed(LimsError):
    """A run that ended FAILED, CANCELLED or TIMED_OUT; `run` has its state, error and log."""

    def __init__(self, message: str, run=None):
        super().__init__(message)
        self.run = run


class ServerError(LimsError):
    """5xx, or no answer at all."""
