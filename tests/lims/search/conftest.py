"""Fixtures for search tests: the records test set (from tests/lims/records) and a gunicorn serving it."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))

from record_factory import make_sample_set  # noqa: E402


@pytest.fixture
def server(cast, tmp_path, transactional_db):
    """A real gunicorn (two processes) on the test database, serving the records test set."""
    from django.db import connection

    from tests.live import free_port, run_gunicorn, server_env

    make_sample_set(cast)
    env = server_env(connection.settings_dict, data_root=tmp_path / "data")
    with run_gunicorn(env, free_port(), workers=2, log_dir=tmp_path) as process:
        yield process


@pytest.fixture
def records(cast):
    """platinum (alice, private), zeolite (bob, facility), cathode (charlie, private), pollen (public)."""
    return make_sample_set(cast)
