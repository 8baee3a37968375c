"""Runs a built-in method in this process on files, as the child process would, for method tests."""
import hashlib
import importlib
from pathlib import Path

from lims.analysis.child import Context, Input
from lims.analysis.params import validate


def run_method(target: str, paths, out: Path, **params) -> dict:
    module = importlib.import_module(target)
    inputs = [Input(Path(p), Path(p).name, hashlib.sha256(Path(p).read_bytes()).hexdigest()) for p in paths]
    out.mkdir(parents=True, exist_ok=True)
    context = Context(inputs, validate(module.Params, params), out, None)
    return module.run(context)
