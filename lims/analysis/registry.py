"""The method registry: built-ins listed in settings.ANALYSIS_METHODS, and methods a facility publishes.

`ANALYSIS_METHODS` is a plain dict, slug -> {"kind": "python", "target": "dotted.module"}; the module
says its title, version, accepted signal types and parameters (see `lims.analysis.methods`). Each
(slug, version) becomes one `Method` row, the truth for runs. A version that has runs is immutable:
publishing different code under it is refused, so every run can be repeated as it was.
"""
import hashlib
import inspect
import shutil
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lims.analysis import params as parameters
from lims.analysis.loading import load_module
from lims.analysis.models import Method


class PublishError(ValueError):
    """A method that cannot be published (missing parts, or a changed version that already has runs)."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def python_definition(target: str) -> dict:
    """Title, version, accepted types, parameter schema and source hash of a python method module."""
    try:
        module = load_module(target)
    except (ImportError, SyntaxError, OSError) as exc:
        raise PublishError(f"{target} cannot be imported: {exc}") from None
    missing = [name for name in ("TITLE", "VERSION", "ACCEPTS", "Params", "run") if not hasattr(module, name)]
    if missing:
        raise PublishError(f"{target} lacks {', '.join(missing)} (see lims.analysis.methods)")
    return {
        "kind": Method.Kind.PYTHON, "target": target, "title": module.TITLE, "version": str(module.VERSION),
        "description": getattr(module, "DESCRIPTION", ""), "accepts": list(module.ACCEPTS),
        "param_schema": parameters.json_schema(module.Params),
        "source_sha256": _sha256(inspect.getsource(module).encode()),
    }


def params_model(method: Method):
    """The pydantic model of a method's parameters."""
    if method.kind == Method.Kind.PYTHON:
        return load_module(method.target).Params
    from lims.analysis.filemethods import params_model_from_schema

    return params_model_from_schema(method.param_schema)


def publish(definition: dict, slug: str, builtin: bool = False) -> tuple[Method, bool]:
    """Create or update the row of (slug, version); returns (method, created_or_changed).

    Refuses (PublishError) to change a version that already has runs.
    """
    fields = {k: definition[k] for k in ("kind", "target", "title", "description", "accepts", "param_schema",
                                         "source_sha256")}
    fields["queue"] = definition.get("queue") or "analysis"
    with transaction.atomic():
        method = Method.objects.select_for_update().filter(slug=slug, version=definition["version"]).first()
        if method is None:
            return Method.objects.create(slug=slug, version=definition["version"], builtin=builtin, **fields), True
        if all(getattr(method, k) == v for k, v in fields.items()):
            return method, False
        if method.runs.exists():
            raise PublishError(f"{slug} {method.version} already has runs and cannot change; publish a new version")
        for name, value in fields.items():
            setattr(method, name, value)
        method.builtin = builtin
        method.save()
        return method, True


def publish_file(path: Path, kind: str, slug: str, version: str, title: str = "", accepts=(),
                 schema: dict | None = None, queue: str = "analysis") -> tuple[Method, bool]:
    """Publish a python file, notebook or Snakefile: kept under DATA_ROOT/methods/<slug>/<version>/."""
    data = Path(path).read_bytes()
    folder = settings.DATA_ROOT / "methods" / slug / version
    existing = Method.objects.filter(slug=slug, version=version).first()
    if existing is not None and existing.source_sha256 != _sha256(data) and existing.runs.exists():
        raise PublishError(f"{slug} {version} already has runs and cannot change; publish a new version")
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / Path(path).name
    shutil.copyfile(path, stored)
    if kind == Method.Kind.PYTHON:
        definition = python_definition(str(stored))
        definition.update(version=version, queue=queue)
        return publish(definition, slug)
    from lims.analysis.filemethods import schema_for_file

    return publish({
        "kind": kind, "target": str(stored), "title": title or slug, "version": version, "description": "",
        "accepts": list(accepts), "param_schema": schema if schema is not None else schema_for_file(stored, kind),
        "source_sha256": _sha256(data), "queue": queue,
    }, slug)


@lru_cache(maxsize=None)
def _builtin_definition(target: str) -> dict:
    return python_definition(target)


def sync_builtins() -> None:
    """Make sure every built-in of settings.ANALYSIS_METHODS has its row (one query when they all do)."""
    wanted = {slug: _builtin_definition(entry["target"]) for slug, entry in settings.ANALYSIS_METHODS.items()
              if entry.get("kind", "python") == Method.Kind.PYTHON}
    have = set(Method.objects.filter(slug__in=wanted).values_list("slug", "version", "source_sha256"))
    for slug, definition in wanted.items():
        if (slug, definition["version"], definition["source_sha256"]) not in have:
            publish(definition, slug, builtin=True)


def latest(slug: str, version: str | None = None) -> Method | None:
    """The method of that slug (the newest version when none is named)."""
    sync_builtins()
    methods = Method.objects.filter(slug=slug)
    if version:
        return methods.filter(version=version).first()
    return methods.order_by("-created").first()


def catalogue():
    """The newest version of every method."""
    sync_builtins()
    newest = {}
    for method in Method.objects.order_by("slug", "-created"):
        newest.setdefault(method.slug, method)
    return list(newest.values())
