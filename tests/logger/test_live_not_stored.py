"""What the server did not store is never counted as sent: a refused note stays refused and is reported,
and files sent while the database drops its connections all arrive."""
import re
import time

import pytest
from django.db import connection

from logger.journal import Journal
from logger.session import Controller
from tests.live import ConnectionDropper

from .conftest import make_files, run_logger, stored_files, tick_until

pytestmark = pytest.mark.live


def test_a_refused_note_is_journaled_as_refused_and_the_session_is_not_all_stored(lims_server, make_config,
                                                                                watched, tmp_path):
    config = make_config(server=lims_server.url, token=lims_server.token)
    controller = Controller(config)
    session_id = controller.start("bob")
    controller.note("sample tilted \x00 by 5 degrees")  # the server cannot store a NUL character
    controller.note("beam realigned")
    controller.request_end()
    tick_until(controller, lambda: controller.phase() == "ended")

    assert [note["failed"] is not None for note in controller.state.notes] == [True, False]
    assert controller.status()["failed_notes"] == 1
    assert not controller.all_acknowledged()
    controller.shutdown()
    replayed = Journal(config.state_dir).state  # the refusal survives a restart of the logger
    assert replayed.failed_notes()[0]["text"] == "sample tilted \x00 by 5 degrees"

    from lims.sessions.models import Session

    assert Session.objects.get(pk=session_id).notes == "beam realigned"


def test_every_file_arrives_while_the_database_drops_connections(lims_server, watched, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("drops connections with PostgreSQL's pg_terminate_backend")
    digests = make_files(watched, {f"run/frame{i:02d}.tif": 40_000 + i for i in range(30)})
    dropper = ConnectionDropper(0.2)
    dropper.start()
    started = time.monotonic()
    try:
        result = run_logger(lims_server, watched, tmp_path / "state", "--user", "alice", "--once",
                            "--chunk-size", "16384")
    finally:
        dropper.stop()

    assert dropper.dropped > 0, f"no connection was dropped in {time.monotonic() - started:.1f} s"
    assert result.returncode == 0, result.stdout + result.stderr
    session_id = re.search(r"^session ([0-9a-f-]{36})$", result.stdout, re.M).group(1)
    assert stored_files(session_id) == {path: [(1, digest, digest)] for path, digest in digests.items()}
