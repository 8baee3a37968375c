"""The logger runs on Python 3.4 (Windows XP/7): checked by vermin and by the Python 3.4 grammar."""
import subprocess
import sys
from pathlib import Path

import parso

LOGGER = Path(__file__).resolve().parents[2] / "logger"
VERMIN = Path(sys.executable).parent / "vermin"


def test_vermin_finds_nothing_newer_than_python_3_4():
    result = subprocess.run([str(VERMIN), "-t=3.4-", "--violations", "--no-tips", str(LOGGER)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_logger_module_parses_with_the_python_3_4_grammar():
    grammar = parso.load_grammar(version="3.4")
    files = sorted(LOGGER.glob("*.py"))
    assert len(files) >= 10
    problems = []
    for path in files:
        module = grammar.parse(path.read_text(encoding="utf-8"))
        for error in grammar.iter_errors(module):
            problems.append(f"{path.name}:{error.start_pos[0]}: {error.message}")
    assert problems == []


def test_the_logger_imports_only_the_standard_library():
    allowed_prefixes = ("from . import", "from .")
    third_party = ("django", "requests", "lims", "records", "tusclient", "numpy")
    offenders = []
    for path in LOGGER.glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and not stripped.startswith(allowed_prefixes):
                module = stripped.split()[1].split(".")[0]
                if module in third_party:
                    offenders.append(f"{path.name}:{number}: {stripped}")
    assert offenders == []
