"""`make run PORT=...`: the demo's printed links and the links handed to loggers follow the port unless SITE_URL is set."""
import os
import subprocess

import pytest

from tests.live import REPO

pytestmark = pytest.mark.live


def _make(*args, **env) -> subprocess.CompletedProcess:
    variables = {name: value for name, value in os.environ.items() if name != "SITE_URL"}
    variables.update(env)
    return subprocess.run(["make", *args], cwd=REPO, env=variables, capture_output=True, text=True, timeout=600)


def test_the_demo_prints_links_on_the_chosen_port(tmp_path):
    done = _make("demo", "PORT=8650", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                 DATA_ROOT=str(tmp_path / "data"), LIMS_TEST_CORPUS=str(tmp_path / "no-corpus"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Demo record: http://127.0.0.1:8650/records/" in done.stdout


def test_run_announces_the_port_and_keeps_an_explicit_site_url():
    assert 'echo "Serving http://127.0.0.1:8650/' in _make("-n", "run", "PORT=8650").stdout
    explicit = _make("-n", "run", "PORT=8650", SITE_URL="https://lims.example.org").stdout
    assert 'echo "Serving https://lims.example.org/' in explicit and "runserver 127.0.0.1:8650" in explicit
