"""The compose stack as declared, and its commands run as real processes: healthy, with a worker and beat."""
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.db import connection

from tests.live import (
    celery_beat_argv, celery_worker_argv, free_port, gunicorn_argv, http_get, http_json, run_celery_beat,
    run_celery_worker, run_gunicorn, server_env, wait_for,
)

REPO = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")
# Options whose values differ between a container and a test run (addresses, sizes, paths).
VARYING_OPTIONS = {"--bind", "--workers", "--concurrency", "--schedule", "--hostname"}
SWEEP_TASK = "lims.sessions.tasks.sweep_sessions"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def _normalised(argv: list[str]) -> list[str]:
    """The command without its varying options, and with the program named as on PATH."""
    words, skip = [Path(argv[0]).name], False
    for word in argv[1:]:
        if skip:
            skip = False
        elif word in VARYING_OPTIONS:
            skip = True
        else:
            words.append(word)
    return words


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def _web_steps(compose: dict) -> list[str]:
    shell, flag, script = compose["services"]["web"]["command"]
    assert (shell, flag) == ("sh", "-c")
    return [step.strip() for step in script.split("&&")]


def test_the_stack_has_the_six_services_and_named_volumes(compose):
    started = {name for name, service in compose["services"].items() if not service.get("profiles")}
    assert started == {"postgres", "redis", "web", "worker", "analysis-worker", "beat"}
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "data", "backups"}
    assert "${BACKUP_DIR:-backups}:/backups" in compose["services"]["web"]["volumes"]
    assert compose["services"]["postgres"]["image"] == "postgres:16"
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


@pytest.mark.parametrize(("service", "probe"), [
    ("postgres", "pg_isready"), ("redis", "redis-cli ping"), ("web", "http://127.0.0.1:8000/healthz"),
])
def test_each_long_running_service_has_a_healthcheck(compose, service, probe):
    check = compose["services"][service]["healthcheck"]

    assert probe in " ".join(check["test"])
    assert check["interval"] and check["retries"] >= 3


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_the_app_services_start_after_healthy_database_and_broker(compose, service):
    depends = compose["services"][service]["depends_on"]

    assert depends["postgres"] == {"condition": "service_healthy"}
    assert depends["redis"] == {"condition": "service_healthy"}
    assert compose["services"][service]["env_file"] == ".env"
    assert compose["services"][service]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert compose["services"][service]["environment"]["DATABASE_URL"].startswith("postgres://")


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_workers_and_scheduler_wait_for_the_migrations(compose, service):
    assert compose["services"][service]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_web_and_worker_share_the_data_volume_at_data_root(compose):
    for service in ("web", "worker"):
        assert "data:/data" in compose["services"][service]["volumes"]
        assert compose["services"][service]["environment"]["DATA_ROOT"] == "/data"


def test_web_migrates_before_serving_static_files_collected_in_the_image(compose):
    steps = _web_steps(compose)

    assert steps[0] == "python manage.py migrate --noinput"
    assert steps[1].startswith("exec gunicorn lims.wsgi ")
    assert _option(shlex.split(steps[1]), "--bind") == "0.0.0.0:8000"
    # Collected at build time into STATIC_ROOT, which no volume hides at run time.
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "STATIC_ROOT=/app/static" in dockerfile and "RUN python manage.py collectstatic --noinput" in dockerfile
    mounts = [volume.split(":")[1] for volume in compose["services"]["web"].get("volumes", [])]
    assert not any(mount.startswith("/app") for mount in mounts)


def test_web_runs_the_gunicorn_command_of_the_stack_test(compose):
    container = shlex.split(_web_steps(compose)[1])[1:]

    assert _normalised(container) == _normalised(gunicorn_argv(8000, workers=2))


def test_worker_runs_the_celery_worker_command_of_the_stack_test(compose):
    container = compose["services"]["worker"]["command"]

    assert container[:4] == ["celery", "-A", "lims", "worker"]
    # Both queues unless WORKER_QUEUES leaves heavy files to heavy-worker.
    assert _normalised(container) == _normalised(celery_worker_argv(concurrency=1, queues="${WORKER_QUEUES:-celery,heavy}"))


def test_the_heavy_profile_adds_a_worker_of_the_heavy_queue(compose):
    heavy, worker = compose["services"]["heavy-worker"], compose["services"]["worker"]

    assert heavy["profiles"] == ["heavy"]
    assert heavy["command"][:4] == ["celery", "-A", "lims", "worker"]
    assert _option(heavy["command"], "-Q") == "heavy"
    assert _normalised(heavy["command"]) == _normalised(celery_worker_argv(concurrency=1, queues="heavy"))
    assert (heavy["image"], heavy["depends_on"], heavy["volumes"]) == (worker["image"], worker["depends_on"],
                                                                      worker["volumes"])


def test_beat_runs_the_celery_beat_command_of_the_stack_test(compose, tmp_path):
    container = compose["services"]["beat"]["command"]

    assert container[:4] == ["celery", "-A", "lims", "beat"]
    assert _option(container, "--schedule").startswith("/tmp/")
    assert _normalised(container) == _normalised(celery_beat_argv(tmp_path))


def test_the_image_runs_as_a_user_and_serves_port_8000():
    dockerfile = (REPO / "Dockerfile").read_text()

    assert dockerfile.startswith("# ") and "\nFROM python:3.11-slim\n" in dockerfile
    assert re.search(r"^USER lims$", dockerfile, re.M)
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert "python manage.py collectstatic --noinput" in dockerfile


def test_web_builds_the_one_image_that_worker_and_beat_run(compose):
    services = compose["services"]

    assert {services[name]["image"] for name in ("web", "worker", "beat")} == {"lims:latest"}
    assert [name for name, service in services.items() if "build" in service] == ["web"]
    assert services["worker"]["pull_policy"] == services["beat"]["pull_policy"] == "never"


def test_the_compose_variables_are_in_the_example_env_file(compose):
    text = (REPO / "docker-compose.yml").read_text()
    example = (REPO / ".env.example").read_text()

    used = set(re.findall(r"\$\{([A-Z_]+)", text))

    assert used == {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "WEB_PORT", "WORKER_CONCURRENCY",
                    "WORKER_QUEUES", "HEAVY_WORKER_CONCURRENCY", "BACKUP_DIR"}
    assert [name for name in sorted(used) if not re.search(rf"^#? ?{name}=", example, re.M)] == []


@pytest.fixture
def broker():
    """The test's own Redis database, emptied so no message from an earlier run is waiting."""
    import redis

    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield BROKER_URL
    client.flushdb()


@pytest.mark.live
def test_the_stack_serves_health_runs_a_worker_and_schedules_the_sweep(transactional_db, broker, tmp_path,
                                                                       django_user_model):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=django_user_model.objects.create_user("ops", is_staff=True)).key
    env = server_env(connection.settings_dict, broker_url=broker, data_root=tmp_path / "data",
                     SWEEP_INTERVAL_SECONDS=1, HEALTH_CACHE_SECONDS=0)
    beat_dir = tmp_path / "beat"

    with run_gunicorn(env, free_port(), workers=2, log_dir=tmp_path) as web, \
            run_celery_worker(env, concurrency=1, log_dir=tmp_path) as worker, \
            run_celery_beat(env, beat_dir) as beat:
        health = wait_for(lambda: (got := http_json(f"{web.url}/healthz", token)[1])["workers"]["ok"]
                          and got["scheduler"]["ok"] and got, timeout=30, what="/healthz to see the worker and beat")
        wait_for(lambda: f"Sending due task sweep-sessions ({SWEEP_TASK})" in beat.output(),
                 timeout=30, what="beat to send the sweep")
        done = wait_for(lambda: re.search(rf"Task {re.escape(SWEEP_TASK)}\[[0-9a-f-]+\] succeeded in [0-9.]+s: (.*)",
                                          worker.output()),
                        timeout=30, what="the worker to run the sweep")
        anonymous = http_get(f"{web.url}/healthz")

    assert anonymous == (200, b'{"status": "ok"}')
    assert health["status"] == "ok"
    assert health["database"] == {"ok": True}
    assert health["broker"] == {"ok": True}
    assert health["workers"]["count"] >= 1
    assert list(beat_dir.glob("celerybeat-schedule*"))
    assert done.group(1) == "{'ended': 0, 'sent': 0, 'requeued': 0, 'stale_uploads': 0}"


# Reads the settings (and gunicorn.conf.py) once with each `# NAME=value` line of .env.example applied
# and once without: a line that shows the default changes nothing.
_DEFAULTS_PROBE = r"""
import importlib, json, os, runpy, sys
import lims.settings

def snapshot():
    settings = importlib.reload(lims.settings)
    values = {name: repr(getattr(settings, name)) for name in dir(settings) if name.isupper()}
    values.update({f"gunicorn.{k}": repr(v) for k, v in runpy.run_path("gunicorn.conf.py").items() if k.islower()})
    return values

base = dict(os.environ)
different = []
for name, value in json.loads(sys.argv[1]).items():
    os.environ.clear(); os.environ.update(base)
    default = snapshot()
    os.environ[name] = value
    if snapshot() != default:
        different.append(name)
print(json.dumps(different))
"""


def test_the_example_env_file_shows_the_real_defaults(compose):
    example = (REPO / ".env.example").read_text()
    shown = dict(re.findall(r"^# ([A-Z_]+)=(.*)$", example, re.M))
    set_here = dict(re.findall(r"^([A-Z_]+)=(.+)$", example, re.M))
    compose_defaults = dict(re.findall(r"\$\{([A-Z_]+):-([^}]*)\}", (REPO / "docker-compose.yml").read_text()))
    # The environment of the web, worker and beat containers (docker-compose.yml and the image).
    environment = {name: os.path.expandvars(value) for name, value in compose["services"]["web"]["environment"].items()}
    environment["DATABASE_URL"] = "postgres://lims:PASSWORD@postgres:5432/lims"
    environment["STATIC_ROOT"] = "/app/static"
    keep = {name: value for name, value in os.environ.items() if not re.fullmatch(r"[A-Z_]+", name)
            or name in ("PATH", "HOME", "LANG", "DJANGO_SETTINGS_MODULE")}

    for name in set(compose_defaults) & set(shown):
        assert shown[name] == compose_defaults[name], name
    probe = subprocess.run([sys.executable, "-c", _DEFAULTS_PROBE, json.dumps(shown)], cwd=REPO, text=True,
                           capture_output=True, env={**keep, **set_here, **environment}, timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.strip().splitlines()[-1]) == []
