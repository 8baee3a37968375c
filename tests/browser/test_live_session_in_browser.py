"""A live session in Chromium: a real logger sends files to gunicorn, a Celery worker reads each as it arrives,
and the session's page shows them with their previews without being reloaded, then moves on to the record."""

import pytest

from tests.data.make_session_files import tiff_bytes
from tests.live import LIVE_SECRET_KEY, free_port, run_celery_worker, run_gunicorn, server_env, wait_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _logged_in(page, server, user, settings) -> None:
    """The browser gets a session cookie of `user`, signed as the server signs (it reads the shared database)."""
    from django.test import Client

    settings.SECRET_KEY = LIVE_SECRET_KEY
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": server.url}])


def _controller(server, token, folder, state):
    from logger.config import DEFAULTS, Config
    from logger.session import Controller, Runner

    values = dict(DEFAULTS, server=server.url, token=token, folder=str(folder), state_dir=str(state), settle="0.2",
                  scan_interval="0.2", heartbeat="1", retries="3", timeout="20", hostname="titan-pc")
    controller = Controller(Config(values))
    return controller, Runner(controller, 0.2)


def test_the_page_of_an_active_session_shows_files_as_they_arrive(page, cast, broker_url, tmp_path, settings,
                                                                   artifacts):
    from django.db import connection

    from lims.sessions.models import DataFile

    folder = tmp_path / "instrument"
    folder.mkdir()
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server, \
            run_celery_worker(env, concurrency=1, log_dir=tmp_path):
        controller, runner = _controller(server, cast.titan.api_token, folder, tmp_path / "state")
        controller.identify()
        session_id = controller.start("alice", sample="Au nanorods")
        runner.start()
        try:
            (folder / "frame_001.tif").write_bytes(tiff_bytes(1, 128))
            extracted = DataFile.objects.filter(session_id=session_id, extracted=True)
            wait_for(lambda: extracted.count() == 1, 120, what="the worker to read the first file")
            _logged_in(page, server, cast.alice, settings)
            page.goto(f"{server.url}/records/session/{session_id}/")
            assert "Session under way on FEI Titan" in page.inner_text("h1")
            page.wait_for_selector(".arrivals img[alt='Preview of frame_001.tif']")
            page.evaluate("() => { window.notReloaded = true; }")

            (folder / "frame_002.tif").write_bytes(tiff_bytes(2, 128))
            page.wait_for_selector(".arrivals img[alt='Preview of frame_002.tif']", timeout=120000)
            assert page.evaluate("() => window.notReloaded === true")  # it refreshed itself in place
            assert "2 files arrived, 2 read" in page.inner_text("#live")
            wait_for(lambda: (controller.status()["extracted"] or 0) == 2, 60,
                     what="the logger to hear from the server that both files were read")
            page.screenshot(path=str(artifacts / "live-session.png"), full_page=True)

            controller.request_end()
            page.wait_for_url("**/records/*/", timeout=180000)
            assert page.inner_text("h1").startswith("FEI Titan: Au nanorods")
        finally:
            runner.stop()
            runner.join(10)
            controller.shutdown()
