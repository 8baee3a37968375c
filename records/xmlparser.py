"""The one safe XML parser of the project: no DTDs, no entities, no network, bounded size."""
import os

from lxml import etree

from records.errors import InvalidRecord, ResourceLimitExceeded

DEFAULT_MAX_SIZE = 512 * 1024 * 1024  # bytes


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe, and creating one costs microseconds.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse(data: bytes, max_size: int = DEFAULT_MAX_SIZE) -> etree._Element:
    """Parse `data` into its root element; refuse documents larger than `max_size` bytes or with a DOCTYPE.

    Raises ResourceLimitExceeded when too large, InvalidRecord when not well-formed XML or when the
    document declares a DOCTYPE (records never need one, and it is how external entities get in).
    """
    if len(data) > max_size:
        raise ResourceLimitExceeded(f"XML document is {len(data)} bytes, more than the limit of {max_size} bytes")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise InvalidRecord(f"not well-formed XML: {exc.msg}", [(line, "", exc.msg)]) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        message = "DOCTYPE declarations are not allowed (external entities are refused)"
        raise InvalidRecord(message, [(1, "", message)])
    return root


def _released(context) -> None:
    """Consume an iterparse `context`, dropping each finished element so memory stays flat."""
    for _, element in context:
        if element.getparent() is not None:  # the root is kept: its docinfo says whether there was a DOCTYPE
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]


def stream(path, schema: etree.XMLSchema | None = None, max_size: int = DEFAULT_MAX_SIZE) -> None:
    """Read the XML file at `path` from start to end without keeping it, validating against `schema` if given.

    Memory stays flat whatever the size. Raises ResourceLimitExceeded when the file is larger than
    `max_size`, InvalidRecord when it is not well-formed, declares a DOCTYPE or breaks the schema
    (one error entry per problem; the schema reports no line numbers while streaming, so they are 0).
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_size:
            raise ResourceLimitExceeded(f"XML document is {size} bytes, more than the limit of {max_size} bytes")
        context = etree.iterparse(handle, events=("end",), schema=schema, resolve_entities=False, no_network=True,
                                  load_dtd=False, dtd_validation=False, huge_tree=False)
        try:
            _released(context)
        except etree.XMLSyntaxError as exc:
            entries = [entry for entry in exc.error_log if entry.domain == etree.ErrorDomains.SCHEMASV]
            if schema is not None and entries:
                raise InvalidRecord(f"invalid: {entries[0].message}", list(entries)) from exc
            line = exc.lineno or 0
            raise InvalidRecord(f"not well-formed XML: {exc.msg}", [(line, "", exc.msg)]) from exc
        docinfo = context.root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            message = "DOCTYPE declarations are not allowed (external entities are refused)"
            raise InvalidRecord(message, [(1, "", message)])
