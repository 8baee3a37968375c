"""A file changed after it was sent is sent again and stored as version 2; the first version stays."""
import hashlib
import os
import time

import pytest

from logger.session import Controller

from .conftest import stored_files, tick_until

pytestmark = pytest.mark.live


def test_a_file_rewritten_after_it_was_sent_becomes_version_2(lims_server, make_config, watched):
    controller = Controller(make_config(server=lims_server.url, token=lims_server.token, retries="3"))
    session_id = controller.start("bob")
    path = watched / "spectrum.msa"
    first = os.urandom(3000)
    path.write_bytes(first)
    tick_until(controller, lambda: controller.state.sent_files() == ["spectrum.msa"])

    second = os.urandom(4000)
    path.write_bytes(second)
    os.utime(path, (time.time() + 5, time.time() + 5))
    digest = hashlib.sha256(second).hexdigest()
    tick_until(controller, lambda: controller.state.files["spectrum.msa"]["sha256"] == digest
                and controller.state.sent_files() == ["spectrum.msa"])
    controller.request_end()
    tick_until(controller, lambda: controller.phase() == "ended")
    controller.shutdown()

    one = hashlib.sha256(first).hexdigest()
    assert stored_files(session_id) == {"spectrum.msa": [(1, one, one), (2, digest, digest)]}
