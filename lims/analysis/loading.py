"""Loading a python method from a dotted module path or from a published .py file (pure Python)."""
import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path


def load_module(target: str):
    """The module of a python method: `target` is a dotted path, or the path of a .py file."""
    if not target.endswith(".py"):
        return importlib.import_module(target)
    path = Path(target)
    name = "lims_method_" + hashlib.sha256(str(path).encode()).hexdigest()[:16]
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{target} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
