"""A logger killed with SIGKILL mid-upload resumes from the acknowledged offset on the next launch.

The first launch sends in chunks (`--single-request-max 0`) so that the server acknowledges part of
the file before the kill; an upload resumed from the journal goes on in chunks anyway.
"""
import re
import signal
import subprocess

import pytest

from tests.live import wait_for

from .conftest import REPO_ROOT, logger_argv, make_files, run_logger, stored_files

pytestmark = pytest.mark.live
BIG = 96 * 1024 * 1024
CHUNK = 64 * 1024


def _offset():
    from lims.uploads.models import Upload

    upload = Upload.objects.filter(relative_path="big.bin").first()
    return upload.offset if upload else 0


def test_the_next_launch_resumes_the_upload_where_the_server_acknowledged_it(lims_server, watched, tmp_path):
    digests = make_files(watched, {"big.bin": BIG, "small.msa": 5000})
    state = tmp_path / "state"
    first = subprocess.Popen(logger_argv(lims_server, watched, state, "--user", "charlie", "--once",
                                         "--chunk-size", str(CHUNK), "--single-request-max", "0"),
                             cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _offset() >= BIG // 4, timeout=180, interval=0.02, what="a quarter of big.bin")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    acknowledged = _offset()
    assert 0 < acknowledged < BIG, "the logger must be killed in the middle of big.bin"

    second = run_logger(lims_server, watched, state, "--user", "charlie", "--once", "--chunk-size", str(CHUNK))

    assert second.returncode == 0, second.stdout + second.stderr
    assert "continuing interrupted session" in second.stdout
    log = (state / "logger.log").read_text()
    resumed = [int(n) for n in re.findall(r"resuming big\.bin at offset (\d+) of", log)]
    # A slow answer may make the logger ask again and resume a second time; the first resume counts.
    assert resumed, log
    # The chunk in flight when the logger died may still have been stored by the server.
    assert acknowledged <= resumed[0] <= acknowledged + CHUNK
    session_id = re.search(r"^session ([0-9a-f-]{36})$", second.stdout, re.M).group(1)
    assert stored_files(session_id) == {path: [(1, digest, digest)] for path, digest in digests.items()}

    from lims.uploads.models import Upload

    assert Upload.objects.filter(relative_path="big.bin").count() == 1
