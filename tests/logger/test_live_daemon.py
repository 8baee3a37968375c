"""`--no-gui` without `--once` records until a stop file appears (or SIGTERM), then ends the session."""
import re
import signal
import subprocess

import pytest

from tests.live import wait_for

from .conftest import REPO_ROOT, logger_argv, make_files, stored_files

pytestmark = pytest.mark.live


def _start(lims_server, watched, state):
    logger = subprocess.Popen(logger_argv(lims_server, watched, state, "--user", "alice"), cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: (state / "journal.jsonl").exists() and b'"created"' in (state / "journal.jsonl").read_bytes(),
             timeout=60, what="the session to start")
    return logger


@pytest.mark.parametrize("how", ["stop file", "SIGTERM"])
def test_it_sends_files_made_during_the_session_and_ends_when_asked(lims_server, watched, tmp_path, how):
    state = tmp_path / "state"
    (watched / "old.dm3").write_bytes(b"written long before the session")
    import os

    os.utime(watched / "old.dm3", (1_000_000, 1_000_000))
    logger = _start(lims_server, watched, state)
    try:
        digests = make_files(watched, {"new-1.tif": 20_000, "sub/new-2.tif": 30_000})
        wait_for(lambda: (state / "logger.log").read_text().count(" sent ") == 2, timeout=120,
                 what="both files to be sent")
        if how == "stop file":
            (state / "stop").write_text("")
        else:
            logger.send_signal(signal.SIGTERM)
        out, err = logger.communicate(timeout=180)
    finally:
        if logger.poll() is None:
            logger.kill()
    assert logger.returncode == 0, out + err
    session_id = re.search(r"^session ([0-9a-f-]{36})$", out, re.M).group(1)
    assert stored_files(session_id) == {path: [(1, digest, digest)] for path, digest in digests.items()}
