"""With the server down the session still starts locally and files queue; once it is up, everything arrives."""
import os

import pytest

from logger.session import Controller

from .conftest import stored_files, tick_until

pytestmark = pytest.mark.live


def test_files_found_while_the_server_is_down_are_sent_when_it_comes_back(transactional_db, cast, _data_root,
                                                                         make_config, watched, tmp_path):
    from django.db import connection

    from tests.live import free_port, run_gunicorn, server_env

    port = free_port()
    config = make_config(server=f"http://127.0.0.1:{port}", token=cast.titan.api_token, retries="1")
    controller = Controller(config)
    session_id = controller.start("alice", project="offline")
    (watched / "a.dm3").write_bytes(os.urandom(4000))
    (watched / "b.dm3").write_bytes(os.urandom(6000))
    tick_until(controller, lambda: controller.status()["found"] == 2)
    status = controller.status()
    assert (status["phase"], status["online"], status["sent"]) == ("starting", False, 0)
    assert "Server unreachable, files are queued" in status["message"]
    controller.request_end()

    env = server_env(connection.settings_dict, data_root=_data_root, CELERY_TASK_ALWAYS_EAGER="true")
    with run_gunicorn(env, port, workers=1, log_dir=tmp_path / "server-logs"):
        tick_until(controller, lambda: controller.phase() == "ended")
    assert controller.all_acknowledged()
    assert sorted(stored_files(session_id)) == ["a.dm3", "b.dm3"]
    controller.shutdown()

    from lims.sessions.models import Session

    assert Session.objects.get(pk=session_id).project == "offline"
