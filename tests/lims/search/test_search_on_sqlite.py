"""The embedded SQLite backend gives the same records and facet counts as PostgreSQL."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from record_factory import EXPECTED_FOR_ALICE, run_queries

RUNNER = Path(__file__).with_name("sqlite_search_run.py")
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def sqlite_answers(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'lims.sqlite3'}", "DATA_ROOT": str(tmp_path / "data"),
           "CELERY_BROKER_URL": "", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, str(RUNNER)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_sqlite_and_postgresql_agree_on_every_query_and_facet(records, cast, sqlite_answers):
    users = {"anonymous": None, "alice": cast.alice, "charlie": cast.charlie, "staff": cast.staff}
    postgres_answers = run_queries(users)
    assert sqlite_answers.keys() == postgres_answers.keys()
    differing = [key for key in postgres_answers if postgres_answers[key] != sqlite_answers[key]]
    assert differing == []
    for q, titles in EXPECTED_FOR_ALICE.items():
        assert sqlite_answers[f"alice|{q}"]["titles"] == titles
    assert sqlite_answers["charlie|"]["facets"]["experimenter"] == [["bob", 1], ["charlie", 1], ["dave", 1]]
