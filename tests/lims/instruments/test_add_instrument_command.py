"""add_instrument: registers or updates an instrument and prints its token last; bad usage fails."""
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from lims.instruments.models import Instrument
from tests.conftest import REPO


def _run(*args) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("add_instrument", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_registers_an_instrument_and_prints_its_token_last(db):
    lines = _run("krios", "--name", "Titan Krios", "--hostname", "KRIOS-PC", "--share", "D:\\data",
                 "--timezone", "Europe/Berlin", "--location", "B12")
    instrument = Instrument.objects.get(pid="krios")
    assert lines[-1] == instrument.api_token
    assert len(lines[-1]) == 40
    assert (instrument.name, instrument.hostname, instrument.share_path, instrument.timezone, instrument.location) == (
        "Titan Krios", "KRIOS-PC", "D:\\data", "Europe/Berlin", "B12")


def test_it_updates_an_instrument_and_keeps_its_token(db):
    first = _run("krios", "--name", "Krios", "--hostname", "KRIOS-PC")[-1]
    lines = _run("krios", "--hostname", "KRIOS-NEW", "--timezone", "UTC")
    instrument = Instrument.objects.get(pid="krios")
    assert lines[-1] == first == instrument.api_token
    assert (instrument.name, instrument.hostname) == ("Krios", "KRIOS-NEW")
    assert Instrument.objects.count() == 1


def test_it_rotates_the_token_when_asked(db):
    first = _run("krios", "--name", "Krios", "--hostname", "KRIOS-PC")[-1]
    rotated = _run("krios", "--rotate-token")[-1]
    assert rotated != first
    assert Instrument.objects.get(pid="krios").api_token == rotated


@pytest.mark.parametrize("args, message", [
    (["bad pid!", "--name", "X", "--hostname", "H"], "A PID is 1-64 letters"),
    (["krios", "--name", "X", "--hostname", "H", "--timezone", "Mars/Olympus"], "is not a known time zone"),
    (["krios", "--hostname", "H"], "needs --name and --hostname"),
])
def test_it_refuses_bad_usage(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert Instrument.objects.count() == 0


def _database_url() -> str:
    """The URL of the test database this process uses, for a subprocess to use too."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess check needs the PostgreSQL test database")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_it_exits_non_zero_from_the_command_line(db):
    env = {**os.environ, "DATABASE_URL": _database_url()}
    result = subprocess.run(
        [sys.executable, "manage.py", "add_instrument", "krios", "--name", "X", "--hostname", "H",
         "--timezone", "Nowhere/City", "--skip-checks"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "is not a known time zone" in result.stderr
