"""Checks record XML against the versioned schema in `schemas/`; the schema is loaded once."""
import functools
import re
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from records.errors import InvalidRecord, RecordsError
from records.xml import NAMESPACE, SCHEMA_FILE
from records.xmlparser import DEFAULT_MAX_SIZE, parse, stream

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
# An invalid file up to this size is checked again as a tree, for the line of each problem.
EXACT_LINES_BYTES = 16 * 1024 * 1024

_ELEMENT_PREFIX = re.compile(r"^Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: ")
_PATH_STEP = re.compile(r"(?:\{[^}]*\}|[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(?:\[\d+\])?$")


class ValidationIssue(NamedTuple):
    """One problem in a record: the line it is on, the element concerned and what is wrong."""

    line: int
    element: str
    message: str


@functools.cache
def schema(path: Path = SCHEMA_DIR / SCHEMA_FILE) -> etree.XMLSchema:
    """The compiled XSD at `path` (cached: compiling costs milliseconds, validating reuses it)."""
    return etree.XMLSchema(parse(Path(path).read_bytes()))


def _issue(entry) -> ValidationIssue:
    message = entry.message
    element = ""
    match = _ELEMENT_PREFIX.match(message)
    if match:
        element = match.group(1) + (f"/@{match.group(2)}" if match.group(2) else "")
        message = message[match.end():]
    elif entry.path:
        step = _PATH_STEP.search(entry.path)
        element = step.group(1) if step else ""
    message = message.replace(f"{{{NAMESPACE}}}", "").strip()
    return ValidationIssue(entry.line, element, message)


def validate(xml: bytes, max_size: int = DEFAULT_MAX_SIZE, xsd: Path | None = None) -> list[ValidationIssue]:
    """Every problem of `xml` against the record schema (or the XSD at `xsd`); an empty list when valid."""
    try:
        root = parse(xml, max_size=max_size)
    except InvalidRecord as exc:
        return [ValidationIssue(*error) for error in exc.errors] or [ValidationIssue(0, "", str(exc))]
    except RecordsError as exc:
        return [ValidationIssue(0, "", str(exc))]
    checker = schema(xsd) if xsd is not None else schema()
    if checker.validate(root):
        return []
    return [_issue(entry) for entry in checker.error_log]


def validate_file(path, max_size: int = DEFAULT_MAX_SIZE, xsd: Path | None = None) -> list[ValidationIssue]:
    """Every problem of the record file at `path`, like `validate`, read as a stream in flat memory.

    Streaming validation knows no line numbers; an invalid file of at most EXACT_LINES_BYTES is read
    again as a tree to give them (a valid one, the usual case, is read once).
    """
    checker = schema(xsd) if xsd is not None else schema()
    try:
        stream(path, schema=checker, max_size=max_size)
    except InvalidRecord as exc:
        if Path(path).stat().st_size <= EXACT_LINES_BYTES:
            return validate(Path(path).read_bytes(), max_size=max_size, xsd=xsd)
        return [_issue(error) if hasattr(error, "message") else ValidationIssue(*error) for error in exc.errors]
    except RecordsError as exc:
        return [ValidationIssue(0, "", str(exc))]
    return []


def _raise_for(issues: list[ValidationIssue]) -> None:
    if issues:
        first = issues[0]
        summary = f"record is invalid: line {first.line}, {first.element or 'document'}: {first.message}"
        if len(issues) > 1:
            summary += f" (and {len(issues) - 1} more)"
        raise InvalidRecord(summary, issues)


def check(xml: bytes, max_size: int = DEFAULT_MAX_SIZE) -> None:
    """Raise InvalidRecord, listing every (line, element, message), unless `xml` is a valid record."""
    _raise_for(validate(xml, max_size=max_size))


def check_file(path, max_size: int = DEFAULT_MAX_SIZE) -> None:
    """Like `check`, for the record file at `path`, in flat memory (`validate_file`)."""
    _raise_for(validate_file(path, max_size=max_size))
