"""Record validation: the schema, its docs, broken records named by line and element, unsafe XML refused."""
import importlib.util
from datetime import datetime, timezone

import pytest

from records.errors import InvalidRecord, ResourceLimitExceeded
from records.model import Dataset, Experiment
from records.validate import SCHEMA_DIR, ValidationIssue, check, schema, validate
from records.xml import build_record
from records.xmlparser import parse

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def _record() -> bytes:
    from records.activities import group

    dataset = Dataset(name="a.tif", location="a.tif", size=10, sha256="b" * 64, format="TIFF",
                      signal_type="image", acquired=WHEN, metadata={"detector": "ETD"})
    exp = Experiment(id="s-1", title="SEM of S-1", experimenter="bob", instrument_pid="quanta",
                     instrument_name="FEI Quanta", start=WHEN, end=WHEN, activities=group([dataset]))
    return build_record(exp)


def _make_docs():
    spec = importlib.util.spec_from_file_location("make_docs", SCHEMA_DIR / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_built_record_is_valid_and_check_accepts_it():
    xml = _record()
    assert validate(xml) == []
    check(xml)


def test_a_broken_record_names_the_element_and_line():
    xml = _record().replace(b"<size>10</size>", b"<size>ten</size>")
    issues = validate(xml)
    line = next(n for n, text in enumerate(xml.decode().splitlines(), start=1) if "<size>ten" in text)
    assert len(issues) == 1
    assert issues[0].line == line
    assert issues[0].element == "size"
    assert "'ten' is not a valid value" in issues[0].message


def test_a_missing_required_element_is_reported_on_its_parent():
    xml = _record().replace(b"<experimenter>bob</experimenter>", b"")
    issues = validate(xml)
    assert [issue.element for issue in issues] == ["instrument"]
    assert "Expected is ( {urn:lims:record:1.0}experimenter )" not in issues[0].message
    assert "experimenter" in issues[0].message


def test_a_bad_attribute_names_the_element_and_attribute():
    xml = _record().replace(b'type="string"', b'type="colour"')
    issues = validate(xml)
    assert issues[0].element == "param/@type"
    assert "colour" in issues[0].message


def test_check_raises_invalid_record_with_every_issue():
    xml = _record().replace(b"<size>10</size>", b"<size>-1</size>").replace(b"b" * 64, b"XYZ")
    with pytest.raises(InvalidRecord) as caught:
        check(xml)
    assert [error.element for error in caught.value.errors] == ["size", "sha256"]
    assert all(isinstance(error.line, int) and error.line > 1 for error in caught.value.errors)
    assert "line" in str(caught.value) and "and 1 more" in str(caught.value)


def test_text_that_is_not_xml_is_one_issue_with_its_line():
    issues = validate(b"<?xml version='1.0'?>\n<experiment>\n<id>oops</experiment>")
    assert len(issues) == 1
    assert issues[0].line == 3
    assert "mismatch" in issues[0].message.lower()


def test_an_external_entity_is_refused_and_never_expanded():
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE experiment [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           b'<experiment xmlns="urn:lims:record:1.0" schemaVersion="1.0"><id>&xxe;</id></experiment>')
    with pytest.raises(InvalidRecord, match="DOCTYPE declarations are not allowed"):
        parse(xxe)
    issues = validate(xxe)
    assert issues == [ValidationIssue(1, "", "DOCTYPE declarations are not allowed (external entities are refused)")]
    assert all("root:" not in issue.message for issue in issues)


def test_nested_internal_entities_are_refused_without_expansion():
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY l0 "lol">{lol}]><e>&l9;</e>'.encode()
    with pytest.raises(InvalidRecord) as caught:
        parse(bomb)
    assert "lol" not in str(caught.value)
    assert len(validate(bomb)) == 1


def test_a_doctype_with_a_system_identifier_is_refused():
    with pytest.raises(InvalidRecord):
        parse(b'<!DOCTYPE experiment SYSTEM "file:///etc/passwd"><experiment/>')


def test_a_document_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(ResourceLimitExceeded, match="more than the limit of 100 bytes"):
        parse(b"<experiment>" + b" " * 200 + b"</experiment>", max_size=100)
    assert validate(_record(), max_size=100)[0].message.startswith("XML document is")


def test_the_schema_is_compiled_once():
    assert schema() is schema()


def test_the_schema_has_a_versioned_target_namespace():
    root = parse((SCHEMA_DIR / "lims-record-1.0.xsd").read_bytes())
    assert root.get("targetNamespace") == "urn:lims:record:1.0"
    assert root.get("version") == "1.2"


def test_every_element_attribute_and_type_of_the_schema_is_documented():
    root = parse((SCHEMA_DIR / "lims-record-1.0.xsd").read_bytes())
    nodes = root.xpath("//xs:element | //xs:attribute | //xs:complexType | //xs:simpleType | //xs:any",
                       namespaces=XS)
    assert len(nodes) > 50
    undocumented = [n.get("name") for n in nodes
                    if not "".join(n.xpath("xs:annotation/xs:documentation/text()", namespaces=XS)).strip()]
    assert undocumented == []


def test_the_committed_schema_docs_are_up_to_date():
    make_docs = _make_docs()
    committed = (SCHEMA_DIR / "lims-record-1.0.md").read_text(encoding="utf-8")
    assert committed == make_docs.render()
    assert "| `acceleration_voltage`" not in committed
    assert "## AcquisitionActivity" in committed
    assert "Allowed values: `imaging`, `diffraction`" in committed


def test_the_docs_script_reports_up_to_date_docs_from_the_command_line():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(SCHEMA_DIR / "make_docs.py"), "--check"], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "lims-record-1.0.md is up to date\n")


def test_the_docs_change_when_the_schema_does(tmp_path):
    changed = tmp_path / "lims-record-1.0.xsd"
    xsd = (SCHEMA_DIR / "lims-record-1.0.xsd").read_text(encoding="utf-8")
    changed.write_text(xsd.replace("File size in bytes.", "File size in octets."), encoding="utf-8")
    text = _make_docs().render(changed)
    assert "File size in octets." in text and text != _make_docs().render()
