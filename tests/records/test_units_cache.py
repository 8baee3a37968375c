"""The unit registry loads even when pint's disk cache holds half-written files (another process writing it)."""
import os
import subprocess
import sys

from tests.conftest import REPO

LOAD = "from records.units import registry; print(registry().Quantity('300 kV').to('V').magnitude)"


def _load(home) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    return subprocess.run([sys.executable, "-c", LOAD], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_truncated_cache_file_is_read_around_not_fatal(tmp_path):
    assert _load(tmp_path).returncode == 0  # writes the cache
    cached = [path for path in (tmp_path / ".cache").rglob("*") if path.is_file() and path.stat().st_size > 0]
    assert cached, "pint wrote no cache under the home folder"
    for path in cached:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    result = _load(tmp_path)

    assert result.returncode == 0, result.stderr
    assert float(result.stdout) == 300000.0
