"""Every extractor keeps the house contract; truncated copies of every corpus file never raise."""
import ast
import importlib
import inspect
import json
from pathlib import Path

import pytest

from records.extractors import MODULES, extract
from records.units import CANONICAL_KEYS, SIGNAL_TYPES
from tests.conftest import CORPUS
from tests.records.extractors.expected import CORPUS as EXPECTED

CUT_FRACTIONS = (0.0, 0.01, 0.1, 0.5, 0.9, 0.999)
AXIS_KEYS = {"name", "size", "scale", "offset", "unit", "navigate"}


def _corpus_files() -> list[str]:
    return sorted(EXPECTED)


@pytest.mark.parametrize("name", MODULES)
def test_each_module_states_its_name_extensions_mapping_and_docstring(name):
    module = importlib.import_module(f"records.extractors.{name}")
    assert module.NAME == name
    assert all(ext.startswith(".") and ext == ext.lower() for ext in module.EXTENSIONS)
    assert len(module.__doc__.strip()) > 40
    for path, key, unit, convert in module.MAPPING:
        assert isinstance(path, str) and key in CANONICAL_KEYS
        assert unit is None or isinstance(unit, str)
        assert convert is None or callable(convert)


@pytest.mark.parametrize("name", MODULES)
def test_each_module_has_exactly_one_public_function_extract(name):
    source = Path(importlib.import_module(f"records.extractors.{name}").__file__).read_text()
    functions = [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
    assert [f for f in functions if not f.startswith("_")] == ["extract"]
    signature = inspect.signature(importlib.import_module(f"records.extractors.{name}").extract)
    assert list(signature.parameters) == ["path"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", _corpus_files())
def test_only_canonical_keys_come_out(name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"real instrument file {name} not found under {CORPUS}")
    extraction = extract(path)
    assert set(extraction.metadata) <= CANONICAL_KEYS, set(extraction.metadata) - CANONICAL_KEYS
    assert extraction.metadata["signal_type"] in SIGNAL_TYPES
    for axis in extraction.metadata.get("dimensions", []):
        assert set(axis) == AXIS_KEYS
    json.dumps(extraction.metadata)
    json.dumps(extraction.original_metadata)
    for signal in extraction.signals:  # each further signal of the file keeps the same contract
        assert set(signal.metadata) <= CANONICAL_KEYS, set(signal.metadata) - CANONICAL_KEYS
        assert signal.metadata["signal_type"] in SIGNAL_TYPES
        json.dumps(signal.metadata)


@pytest.mark.corpus
@pytest.mark.parametrize("name", _corpus_files())
def test_truncated_copies_of_each_corpus_file_give_an_answer_not_an_exception(tmp_path, name):
    source = CORPUS / name
    if not source.exists():
        pytest.skip(f"real instrument file {name} not found under {CORPUS}")
    data = source.read_bytes()
    for fraction in CUT_FRACTIONS:
        cut = tmp_path / f"cut{int(fraction * 1000)}_{Path(name).name}"
        cut.write_bytes(data[: int(len(data) * fraction)])
        extraction = extract(cut)
        assert extraction.metadata["size"] == int(len(data) * fraction)
        if fraction == 0.0:
            assert extraction.error == "the file is empty (0 bytes)"
        if extraction.loader is not None:
            try:
                extraction.loader()
            except Exception as exc:  # noqa: BLE001 - the pipeline reports it; here we only want no hang/crash
                assert str(exc) or type(exc).__name__


@pytest.mark.parametrize("name", MODULES)
def test_each_module_has_a_format_page_naming_its_vendor_keys_and_terms(name):
    page = Path(__file__).resolve().parents[3] / "docs" / "formats" / f"{name}.md"
    assert page.is_file(), f"docs/formats/{name}.md is missing"
    text = page.read_text(encoding="utf-8")
    module = importlib.import_module(f"records.extractors.{name}")
    for path, key, _unit, _convert in module.MAPPING:
        assert f"`{key}`" in text, f"{name}: the page does not name the term {key}"
