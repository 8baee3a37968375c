"""Fixtures of the logger tests: a watched folder, a state folder and a config built from them."""
import argparse
import hashlib
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from logger.config import DEFAULTS, Config

REPO_ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def watched(tmp_path):
    folder = tmp_path / "instrument-data"
    folder.mkdir()
    return folder


@pytest.fixture
def make_config(tmp_path, watched):
    """make_config(**overrides) -> Config with the watched folder and a private state folder."""

    def make(**overrides):
        values = dict(DEFAULTS)
        values.update(server=f"http://127.0.0.1:{closed_port()}", token="instrument-token", folder=str(watched),
                      state_dir=str(tmp_path / "state"), settle="0", retries="0", timeout="5")
        values.update({key: str(value) for key, value in overrides.items()})
        return Config(values)

    return make


def cli_args(*argv: str) -> argparse.Namespace:
    from logger.config import parser

    return parser().parse_args(list(argv))


@pytest.fixture
def lims_server(transactional_db, cast, _data_root, tmp_path):
    """gunicorn serving the test database (records built eagerly); `.url`, `.token` (titan's) and `.cast`."""
    from django.db import connection

    from tests.live import free_port, run_gunicorn, server_env

    env = server_env(connection.settings_dict, data_root=_data_root, CELERY_TASK_ALWAYS_EAGER="true")
    with run_gunicorn(env, free_port(), workers=2, log_dir=tmp_path / "server-logs") as server:
        server.token = cast.titan.api_token
        server.cast = cast
        yield server


def logger_argv(server, folder, state_dir, *extra: str) -> list:
    """Command line of a headless logger run against `server`."""
    return [sys.executable, "-m", "logger", "--no-gui", "--server", server.url, "--token", server.token,
            "--folder", str(folder), "--state-dir", str(state_dir), *extra]


def run_logger(server, folder, state_dir, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(logger_argv(server, folder, state_dir, *extra), cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def start_session(server) -> str:
    """The id of a new session started on `server` by its instrument, as the logger starts one."""
    from logger.api import Api

    session_id = str(uuid.uuid4())
    api = Api(server.url, server.token)
    api.start_session({"id": session_id, "user": "alice"})
    api.close()
    return session_id


def make_files(folder: Path, sizes: dict, seed: int = 7) -> dict:
    """Write files of the given sizes with random bytes; returns relative path -> sha256."""
    rng = random.Random(seed)
    digests = {}
    for relative, size in sizes.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = rng.randbytes(size)
        path.write_bytes(data)
        digests[relative] = hashlib.sha256(data).hexdigest()
    return digests


def tick_until(controller, condition, timeout: float = 120) -> None:
    """Drive a logger Controller tick by tick until `condition()` holds (fails with its status after `timeout`)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, controller.status()
        controller.tick()
        time.sleep(0.05)


def stored_files(session_id: str) -> dict:
    """relative path -> [(version, sha256 in the database, sha256 of the stored bytes)] of a session."""
    from lims.sessions.models import DataFile

    found = {}
    for datafile in DataFile.objects.filter(session_id=session_id).order_by("relative_path", "version"):
        on_disk = hashlib.sha256(Path(datafile.absolute_path).read_bytes()).hexdigest()
        found.setdefault(datafile.relative_path, []).append((datafile.version, datafile.sha256, on_disk))
    return found


ARTIFACTS = REPO_ROOT / "artifacts"


@pytest.fixture(scope="session")
def xvfb(tmp_path_factory):
    """A virtual screen on a free display number, shared by the session (Tk keeps a display open
    after its window is gone, so a screen that disappears between tests would kill the next one)."""
    from tests.live import wait_for

    number = next(n for n in range(91, 200)
                  if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists())
    log = open(tmp_path_factory.mktemp("xvfb") / "xvfb.log", "wb")
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                              stdout=log, stderr=subprocess.STDOUT)
    previous = os.environ.get("DISPLAY")
    try:
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), timeout=30, what="Xvfb to listen")
        os.environ["DISPLAY"] = f":{number}"
        yield f":{number}"
    finally:
        if previous is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = previous
        server.terminate()
        server.wait(timeout=30)
        log.close()


def screenshot(display: str, name: str) -> Path:
    """Save the whole virtual screen as artifacts/<name>.png and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True, timeout=60)
    return path


class Window:
    """The logger window in this process, with a way to let Tk work until something is true."""

    def __init__(self, config):
        import tkinter

        from logger.gui import App

        self.root = tkinter.Tk()
        self.app = App(self.root, config)

    def pump(self, until, timeout: float = 90.0, what: str = "the window"):
        import time

        deadline = time.monotonic() + timeout
        while True:
            self.root.update()
            result = until()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; status: {self.app.controller.status()}")
            time.sleep(0.02)

    def dialog(self, title: str, timeout: float = 60.0):
        return self.pump(lambda: next((d for d in self.app.dialogs if d.title == title), None), timeout,
                         what=f"a dialog titled {title!r}")

    def close(self):
        try:
            if not self.app._closing:
                self.app.destroy()
        except Exception as exc:   # already destroyed by the test
            print("close:", repr(exc))
