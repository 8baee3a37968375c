"""`python -m logger --no-gui --once` against a live server: every file arrives with its sha256."""
import re

import pytest

from .conftest import make_files, run_logger, stored_files

pytestmark = pytest.mark.live


def test_once_sends_every_file_and_prints_the_session_and_record(lims_server, watched, tmp_path):
    digests = make_files(watched, {"a.dm3": 1000, "b/c.tif": 300_000, "b/d/e.msa": 70_001, "empty.txt": 0})
    (watched / "~$lock.tmp").write_bytes(b"excluded by the default patterns")

    result = run_logger(lims_server, watched, tmp_path / "state", "--user", "alice", "--sample", "Au grid",
                        "--project", "P-17", "--once", "--chunk-size", "65536")

    assert result.returncode == 0, result.stdout + result.stderr
    session_id = re.search(r"^session ([0-9a-f-]{36})$", result.stdout, re.M).group(1)
    assert re.search(r"^record http://\S+$", result.stdout, re.M), result.stdout
    assert "4 file(s) sent, 0 refused" in result.stdout
    stored = stored_files(session_id)
    assert stored == {path: [(1, digest, digest)] for path, digest in digests.items()}

    from lims.sessions.models import Session

    session = Session.objects.get(pk=session_id)
    assert (session.user, session.sample, session.project, session.instrument.pid) == ("alice", "Au grid", "P-17", "titan")
    assert session.state != Session.State.ACTIVE
    assert (tmp_path / "state" / "journal.jsonl").read_bytes() == b""


def test_once_fails_clearly_with_a_token_the_server_does_not_know(lims_server, watched, tmp_path):
    make_files(watched, {"a.dm3": 10})
    lims_server.token = "not-a-real-token"
    result = run_logger(lims_server, watched, tmp_path / "state", "--user", "alice", "--once")
    assert result.returncode != 0
    assert "the server refused to start the session" in result.stderr


def test_once_exits_non_zero_naming_a_file_the_server_refused_and_still_sends_the_others(lims_server, watched,
                                                                                         tmp_path):
    digests = make_files(watched, {"good.dm3": 2000})
    (watched / "bad\x01name.dm3").write_bytes(b"a control character in the name")

    result = run_logger(lims_server, watched, tmp_path / "state", "--user", "alice", "--once")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "refused: bad\x01name.dm3: " in result.stderr
    assert "control characters" in result.stderr
    assert "error: not every file and note was stored by the server" in result.stderr
    session_id = re.search(r"^session ([0-9a-f-]{36})$", result.stdout, re.M).group(1)
    assert stored_files(session_id) == {"good.dm3": [(1, digests["good.dm3"], digests["good.dm3"])]}
