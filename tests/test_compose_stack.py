"""The Docker Compose stack as a facility runs it: built, booted, fed by a logger, crashed and restarted.

Runs with `make compose-test` (as root, with a Docker engine; docker/ci/ makes one and the base
images on machines without a registry). The stack runs from a copy of this checkout under its own
project name and port, and is removed with its volumes at the end, also on failure; the services'
logs are left in artifacts/compose-test.log.
"""
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_file
from tests.live import REPO, free_port, wait_for

pytestmark = [
    pytest.mark.compose,
    pytest.mark.timeout(1800),  # the first test also builds the image
    pytest.mark.skipif(os.environ.get("LIMS_TEST_COMPOSE") != "1",
                       reason="boots the Docker Compose stack: run it with `make compose-test`"),
]

PROJECT = "lims-compose-test"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ADMIN = "admin"
# Formats that need writable caches in the image (DigitalMicrograph, TIA, FEI and Zeiss TIFF) and an
# EDAX spectrum whose metadata holds NUL characters.
FIRST_SESSION = [
    "rsciio/test_STEM_image.dm3",
    "rsciio/128x128-TEM_search.emi",
    "rsciio/128x128-TEM_search_1.ser",
    "rsciio/FEI-Helios-Ebeam-8bits.tif",
    "rsciio/test_tiff_Zeiss_SEM_512pix.tif",
    "nexuslims/647_leo_edax_test.spc",
    "rsciio/example1.msa",
]
# Quick sweeps, so that a build cut off by a dead worker is queued again within a minute; files are read
# by the build alone, so that a build of many files lasts long enough to be cut off.
TEST_SETTINGS = {"BUILD_STALL_SECONDS": "20", "EXTRACT_DURING_SESSION": "false", "SWEEP_INTERVAL_SECONDS": "10",
                 "HEALTH_CACHE_SECONDS": "5"}


def _timed(what: str, started: float) -> None:
    print(f"compose-test: {what} in {time.monotonic() - started:.1f} s", file=sys.stderr)


class Stack:
    """`docker compose` on a copy of the checkout, with its own .env, project name and port."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.url = f"http://127.0.0.1:{port}"
        self.token = ""

    def compose(self, *args: str, timeout: float = 900, check: bool = True, env: dict | None = None) -> str:
        result = subprocess.run(["docker", "compose", "-p", PROJECT, *args], cwd=self.folder, text=True,
                                capture_output=True, timeout=timeout, env={**os.environ, **(env or {})})
        if check and result.returncode:
            raise AssertionError(f"docker compose {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def manage(self, *args: str, env: dict | None = None) -> str:
        extra = [word for name, value in (env or {}).items() for word in ("-e", f"{name}={value}")]
        return self.compose("exec", "-T", *extra, "web", "python", "manage.py", *args)

    def api(self, path: str) -> dict:
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"Token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def logger(self, folder: Path, token: str, state_dir: Path, sample: str) -> str:
        """Runs the logger on this host against the published port; returns the session id."""
        result = subprocess.run(
            [sys.executable, "-m", "logger", "--no-gui", "--once", "--server", self.url, "--token", token,
             "--folder", str(folder), "--user", ADMIN, "--sample", sample, "--state-dir", str(state_dir)],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return UUID.search(result.stdout).group(0)

    def session(self, session_id: str) -> dict:
        return self.api(f"/api/v1/sessions/{session_id}/")

    def files(self, session_id: str) -> list[dict]:
        return self.api(f"/api/v1/sessions/{session_id}/files/?page_size=200")["results"]

    def data_hashes(self) -> str:
        return self.compose("exec", "-T", "web", "sh", "-c", "cd /data && find . -type f | sort | xargs sha256sum")

    def save_logs(self) -> None:
        """Appends the services' logs to artifacts/compose-test.log (before containers are removed)."""
        (REPO / "artifacts").mkdir(exist_ok=True)
        with open(REPO / "artifacts" / "compose-test.log", "a") as log:
            log.write(self.compose("logs", "--no-color", "--timestamps", check=False))

    def container_ids(self, service: str) -> list[str]:
        return self.compose("ps", "-q", service).split()


def _copy_checkout(target: Path) -> None:
    """The files of this checkout that git knows or would add (no virtualenv, no local state)."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _images(*options: str) -> set[str]:
    return set(subprocess.run(["docker", "images", "-q", *options], capture_output=True, text=True,
                              check=True).stdout.split())


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    _copy_checkout(folder)
    port = free_port()
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_PORT": str(port),
        **TEST_SETTINGS,
    }
    (folder / ".env").write_text("".join(f"{name}={value}\n" for name, value in settings.items()))
    running = Stack(folder, port)
    running.compose("down", "--volumes", "--remove-orphans", check=False)
    (REPO / "artifacts" / "compose-test.log").unlink(missing_ok=True)
    try:
        # A rebuild leaves the image it replaces untagged; any other untagged image is a duplicate.
        replaced = _images("lims:latest")
        before = _images("--filter", "dangling=true") | replaced
        started = time.monotonic()
        running.compose("build")
        _timed("image built", started)
        running.new_dangling_images = _images("--filter", "dangling=true") - before
        for image in replaced - _images("lims:latest"):
            subprocess.run(["docker", "image", "rm", image], capture_output=True)
        started = time.monotonic()
        running.compose("up", "-d", "--wait")
        _timed("stack healthy after `up -d`", started)
        yield running
    finally:
        running.save_logs()
        running.compose("down", "--volumes", "--remove-orphans", check=False)


@pytest.fixture(scope="module")
def titan(stack):
    """An administrator (with a personal API token for /healthz and the API) and an instrument."""
    stack.manage("createsuperuser", "--noinput", "--username", ADMIN, "--email", "admin@example.org",
                 env={"DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16)})
    stack.token = re.search(r"\b[0-9a-f]{40}\b", stack.manage("drf_create_token", ADMIN)).group(0)
    output = stack.manage("add_instrument", "titan", "--name", "FEI Titan", "--hostname", "TITAN-PC",
                          "--timezone", "UTC")
    return output.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def first_record(stack, titan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("titan-share")
    for name in FIRST_SESSION:
        shutil.copy(corpus_file(name), folder / Path(name).name)
    started = time.monotonic()
    session_id = stack.logger(folder, titan, tmp_path_factory.mktemp("logger-state"), "first grid")
    wait_for(lambda: stack.session(session_id)["state"] in ("COMPLETED", "NO_FILES", "ERROR"), 300,
             interval=0.5, what="the record of the first session")
    _timed("record ready after the logger ended", started)
    return session_id, folder


def test_web_worker_and_beat_run_one_image_built_once(stack):
    images = {service: stack.compose("images", "-q", service).split() for service in ("web", "worker", "beat")}

    assert len({image for ids in images.values() for image in ids}) == 1, images
    assert stack.new_dangling_images == set()


def test_the_services_write_their_caches_sockets_and_temporary_files(stack):
    # Several processes load the unit registry at once, as a worker's processes do on their first files.
    probe = ("import os, subprocess, sys, tempfile; "
             "home = os.path.expanduser('~'); assert os.access(home, os.W_OK), home; "
             "tempfile.TemporaryFile().close(); "
             "load = [sys.executable, '-c', 'from records.units import registry; registry()']; "
             "assert all(p.wait() == 0 for p in [subprocess.Popen(load) for _ in range(4)]); "
             "print(sorted(os.listdir(os.path.join(home, '.cache'))))")
    for service in ("web", "worker"):
        assert "pint" in stack.compose("exec", "-T", service, "python", "-c", probe), service

    stack.compose("exec", "-T", "web", "test", "-S", "/home/lims/.gunicorn/gunicorn.ctl")  # gunicorn's control socket
    logs = stack.compose("logs", "--no-color", "web", "worker", "beat")
    assert "Permission denied" not in logs
    assert "Control server error" not in logs


def test_a_logger_session_on_the_host_becomes_a_record_with_every_file_read(stack, first_record):
    session_id, folder = first_record

    session = stack.session(session_id)
    assert session["state"] == "COMPLETED", session
    files = {row["path"]: row for row in stack.files(session_id)}
    assert sorted(files) == sorted(path.name for path in folder.iterdir())
    assert {name: row["error"] for name, row in files.items() if row["status"] != "extracted"} == {}
    assert all(row["sha256"] for row in files.values())


def test_healthz_reports_every_part_healthy(stack, first_record):
    def healthy():
        health = stack.api("/healthz")
        return health if all(health[part]["ok"] for part in ("database", "broker", "workers", "scheduler")) else None

    health = wait_for(healthy, 60, interval=1, what="/healthz to report every part healthy")

    assert health["status"] == "ok"
    assert health["workers"]["count"] >= 1


def test_doctor_backup_and_verify_run_inside_the_stack(stack, first_record):
    stack.manage("doctor")  # raises on a non-zero exit: every check passes or only warns

    stack.manage("backup", "/backups")
    listing = stack.compose("exec", "-T", "web", "sh", "-c", "ls /backups/sets/*/")
    assert "manifest.json" in listing and "files.jsonl" in listing
    listed = stack.compose("exec", "-T", "web", "sh", "-c", "cat /backups/sets/*/files.jsonl | wc -l")
    assert int(listed.strip()) >= len(stack.files(first_record[0]))

    report = stack.manage("verify")  # raises on a non-zero exit: something missing or changed
    assert re.search(r"\b0 missing\b", report) and re.search(r"\b0 changed\b", report), report


def test_a_worker_killed_mid_build_leaves_a_record_completed_after_it_restarts(stack, titan, first_record,
                                                                             tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip(f"real instrument files not found under {CORPUS} (set LIMS_TEST_CORPUS)")
    folder = tmp_path_factory.mktemp("titan-share-all")
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.name != "MANIFEST.md":
            shutil.copy(path, folder / f"{path.parent.name}-{path.name}")
    session_id = stack.logger(folder, titan, tmp_path_factory.mktemp("logger-state"), "crash grid")

    wait_for(lambda: stack.session(session_id)["state"] == "BUILDING", 60, interval=0.05,
             what="the build to start")
    [worker] = stack.container_ids("worker")
    pid = subprocess.run(["docker", "inspect", "-f", "{{.State.Pid}}", worker], capture_output=True, text=True,
                         check=True).stdout.strip()
    os.kill(int(pid), 9)  # the worker's main process dies as in a crash; Docker restarts the container
    assert stack.session(session_id)["state"] == "BUILDING"

    started = time.monotonic()
    wait_for(lambda: stack.session(session_id)["state"] in ("COMPLETED", "NO_FILES", "ERROR"), 600, interval=1,
             what="the record to be built after the worker restarted")
    _timed("record completed after the worker was killed", started)
    restarts = subprocess.run(["docker", "inspect", "-f", "{{.RestartCount}}", worker], capture_output=True,
                              text=True, check=True).stdout.strip()
    assert int(restarts) >= 1
    session = stack.session(session_id)
    assert session["state"] == "COMPLETED", session
    files = stack.files(session_id)
    assert len(files) == len(list(folder.iterdir()))
    assert [row["path"] for row in files if row["status"] == "uploaded"] == []  # every file was read
    assert "Permission denied" not in stack.compose("logs", "--no-color", "worker")


def test_down_and_up_keep_every_record_and_file(stack, first_record):
    session_id, _ = first_record
    before = stack.session(session_id)
    hashes = stack.data_hashes()
    assert hashes.strip()

    stack.save_logs()
    stack.compose("down")
    stack.compose("up", "-d", "--wait")

    assert stack.session(session_id) == before
    assert stack.data_hashes() == hashes
