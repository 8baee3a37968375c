"""Named exceptions of the record library; extractors raise these, the dispatcher reports them."""


class RecordsError(Exception):
    """Base class for every error the record library raises on purpose."""


class UnreadableFile(RecordsError):
    """The file cannot be read as the format it claims or was sniffed as."""


class TruncatedFile(UnreadableFile):
    """The file ends before its format says it should."""


class EmptyFile(UnreadableFile):
    """The file has no bytes."""


class ResourceLimitExceeded(RecordsError):
    """Reading the file would take longer or more memory than allowed."""


class OutOfTime(BaseException):
    """The reader's time limit passed while it was still working.

    A BaseException, like KeyboardInterrupt, so that the broad `except Exception` common in reading
    libraries (and in our own fallbacks) cannot swallow it and carry on past the limit.
    """


class InvalidRecord(RecordsError):
    """A record does not validate against the schema; `errors` lists (line, element, message)."""

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.errors = errors or []
