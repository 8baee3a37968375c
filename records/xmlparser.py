"""The one safe XML parser of the project: no DTDs, no entities, no network, bounded size."""
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
