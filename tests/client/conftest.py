"""Fixtures for client tests: the client package on the path (as `pip install ./client` would give),
and a live gunicorn on the test database."""
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "client"))
sys.path.insert(0, str(REPO / "tests" / "lims" / "records"))


@pytest.fixture
def server(cast, tmp_path, transactional_db, settings):
    """A real gunicorn on the test database (records are made by each test before its calls)."""
    from django.db import connection

    from tests.live import free_port, run_gunicorn, server_env

    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)
    with run_gunicorn(env, free_port(), workers=2, log_dir=tmp_path) as process:
        yield process
