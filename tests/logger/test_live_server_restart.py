"""The server stopped and restarted in the middle of uploads: every file still arrives exactly once."""
import re
import subprocess

import pytest

from tests.live import wait_for

from .conftest import REPO_ROOT, logger_argv, make_files, stored_files

pytestmark = pytest.mark.live


def _uploaded():
    from lims.sessions.models import DataFile

    return DataFile.objects.count()


def test_every_file_arrives_exactly_once_across_a_server_restart(lims_server, watched, tmp_path):
    digests = make_files(watched, {f"frame-{n:03d}.tif": 400_000 + n for n in range(30)})
    logger = subprocess.Popen(logger_argv(lims_server, watched, tmp_path / "state", "--user", "bob", "--once",
                                          "--chunk-size", "32768"),
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _uploaded() >= 3, timeout=120, interval=0.05, what="the first files to arrive")
        lims_server.kill()
        arrived_while_down = _uploaded()
        lims_server.start()
        out, err = logger.communicate(timeout=400)
    finally:
        if logger.poll() is None:
            logger.kill()
    assert logger.returncode == 0, out + err
    assert arrived_while_down < len(digests), "the restart came too late to interrupt the uploads"
    session_id = re.search(r"^session ([0-9a-f-]{36})$", out, re.M).group(1)
    assert stored_files(session_id) == {path: [(1, digest, digest)] for path, digest in digests.items()}
    assert "30 file(s) sent" in out
