"""Writes the human-readable docs of the record schema (lims-record-1.0.md) from the XSD itself.

Run `python schemas/make_docs.py` after changing the XSD; `--check` exits 1 when the docs are stale.
"""
import sys
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from records.xmlparser import parse  # noqa: E402  (the project's one XML parser)

XSD = HERE / "lims-record-1.0.xsd"
DOCS = HERE / "lims-record-1.0.md"
XS = "http://www.w3.org/2001/XMLSchema"
NS = {"xs": XS}


def _doc(node: etree._Element) -> str:
    texts = node.xpath("xs:annotation/xs:documentation//text()", namespaces=NS)
    return " ".join(" ".join(texts).split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _occurs(node: etree._Element) -> str:
    low = node.get("minOccurs", "1")
    high = node.get("maxOccurs", "1")
    high = "many" if high == "unbounded" else high
    return low if low == high else f"{low}..{high}"


def _type_name(node: etree._Element) -> str:
    name = node.get("type", "")
    return name.split(":", 1)[1] if name.startswith("r:") else name


def _link(type_name: str, local_types: set) -> str:
    return f"[{type_name}](#{type_name.lower()})" if type_name in local_types else f"`{type_name}`"


def _rows(complex_type: etree._Element, local_types: set) -> list[str]:
    rows = []
    for element in complex_type.xpath(".//xs:element", namespaces=NS):
        kind = _link(_type_name(element), local_types)
        rows.append(f"| `{element.get('name')}` | {kind} | {_occurs(element)} | {_cell(_doc(element))} |")
    for wildcard in complex_type.xpath(".//xs:any", namespaces=NS):
        rows.append(f"| any element of another namespace | - | {_occurs(wildcard)} | {_cell(_doc(wildcard))} |")
    for attribute in complex_type.xpath(".//xs:attribute", namespaces=NS):
        occurs = "1" if attribute.get("use") == "required" else "0..1"
        kind = _link(_type_name(attribute), local_types)
        rows.append(f"| `@{attribute.get('name')}` | {kind} | {occurs} | {_cell(_doc(attribute))} |")
    for base in complex_type.xpath("xs:simpleContent/xs:extension/@base", namespaces=NS):
        rows.append(f"| (text) | `{base}` | 1 | The value itself. |")
    return rows


def _simple(simple_type: etree._Element) -> list[str]:
    restriction = simple_type.find(f"{{{XS}}}restriction")
    lines = [f"Based on `{restriction.get('base')}`."]
    values = [f"`{e.get('value')}`" for e in restriction.findall(f"{{{XS}}}enumeration")]
    if values:
        lines.append("Allowed values: " + ", ".join(values) + ".")
    for facet in ("pattern", "minLength", "maxLength"):
        for node in restriction.findall(f"{{{XS}}}{facet}"):
            lines.append(f"{facet}: `{node.get('value')}`.")
    return lines


def render(xsd: Path = XSD) -> str:
    """The Markdown documentation of the schema at `xsd`."""
    root = parse(xsd.read_bytes())
    local_types = {node.get("name") for node in root.xpath("xs:complexType|xs:simpleType", namespaces=NS)}
    out = [
        f"# Record schema {root.get('version')}",
        "",
        f"<!-- Generated from {xsd.name} by make_docs.py; do not edit by hand. -->",
        "",
        f"Namespace: `{root.get('targetNamespace')}`. File: `schemas/{xsd.name}`.",
        "",
        _doc(root),
        "",
    ]
    for element in root.xpath("xs:element", namespaces=NS):
        out += [f"Root element: `{element.get('name')}` of type {_link(_type_name(element), local_types)}. "
                f"{_doc(element)}", ""]
    for node in root.xpath("xs:complexType|xs:simpleType", namespaces=NS):
        out += [f"## {node.get('name')}", "", _doc(node), ""]
        if node.tag == f"{{{XS}}}complexType":
            out += ["| Element or @attribute | Type | Occurs | Description |", "|---|---|---|---|"]
            out += _rows(node, local_types)
        else:
            out += _simple(node)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOCS.exists() or DOCS.read_text(encoding="utf-8") != text:
            print(f"{DOCS.name} is out of date: run python schemas/make_docs.py")
            return 1
        print(f"{DOCS.name} is up to date")
        return 0
    DOCS.write_text(text, encoding="utf-8")
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
