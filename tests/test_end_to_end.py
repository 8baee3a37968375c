"""End to end: the logger sends real instrument files to a live server; a real worker builds the record."""
import os
import re
import shutil
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import corpus_file
from tests.live import LIVE_SECRET_KEY, REPO, free_port, run_celery_worker, run_gunicorn, server_env, wait_for

pytestmark = pytest.mark.live

FILES = [
    "rsciio/test_STEM_image.dm3",
    "rsciio/EELS_SI.dm4",
    "rsciio/FEI-Helios-Ebeam-8bits.tif",
    "rsciio/example1.msa",
    "nexuslims/test_image_thumb_source.png",
    "nexuslims/unreadable_image.jpg",
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _get(url: str, cookie: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_a_session_goes_from_the_logger_to_a_valid_browsable_record(transactional_db, cast, broker_url, tmp_path,
                                                                     settings):
    from django.db import connection
    from django.test import Client

    from lims.records.models import Record
    from lims.sessions.models import DataFile, Session
    from records.validate import validate

    folder = tmp_path / "instrument-share"
    folder.mkdir()
    for name in FILES:
        shutil.copy(corpus_file(name), folder / os.path.basename(name))

    port = free_port()
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     SITE_URL=f"http://127.0.0.1:{port}")
    with run_gunicorn(env, port, log_dir=tmp_path) as web, run_celery_worker(env, concurrency=2, log_dir=tmp_path):
        logger = subprocess.run(
            [sys.executable, "-m", "logger", "--no-gui", "--once", "--server", web.url, "--token",
             cast.titan.api_token, "--folder", str(folder), "--user", "alice", "--sample", "Au grid",
             "--state-dir", str(tmp_path / "logger-state")],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )
        assert logger.returncode == 0, logger.stdout + logger.stderr
        session_id = UUID.search(logger.stdout).group(0)
        assert f"{web.url}/records/" in logger.stdout

        session = Session.objects.get(pk=session_id)
        wait_for(lambda: Session.objects.get(pk=session_id).state in Session.FINAL_STATES, 240,
                 what="the worker to build the record")
        session.refresh_from_db()
        assert session.state == Session.State.COMPLETED, session.error
        assert session.account == cast.alice and session.sample == "Au grid"

        # Every file arrived exactly once, byte for byte.
        stored = {f.relative_path: f for f in DataFile.objects.filter(session=session)}
        assert sorted(stored) == sorted(os.path.basename(n) for n in FILES)
        for name, row in stored.items():
            assert row.absolute_path.read_bytes() == (folder / name).read_bytes()

        record = Record.objects.get(session=session)
        assert validate(record.xml.encode()) == []
        assert record.file_count == len(FILES)
        assert record.error_count == 1  # the JPEG that is not one
        assert "200" in record.xml  # the DM3's 200 kV reached the record

        settings.SECRET_KEY = LIVE_SECRET_KEY  # the session cookie must be signed as the server expects
        client = Client()
        client.force_login(cast.alice)
        cookie = client.cookies["sessionid"].value
        status, body = _get(f"{web.url}/records/{record.pk}/", cookie)
        assert status == 200
        page = body.decode()
        assert "test_STEM_image.dm3" in page and "Au grid" in page
        status, xml = _get(f"{web.url}/api/v1/records/{record.pk}/xml", cookie)
        assert status == 200 and validate(xml) == []
