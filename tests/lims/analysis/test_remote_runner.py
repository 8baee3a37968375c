"""Runners on other hosts: a real `python -m lims_client.runner` process claims a run of its queue over HTTP,
runs it and sends its outputs, which become the derived record; a runner token can do nothing else."""
import base64
import subprocess
import sys

import pytest

from lims.analysis import services
from lims.analysis.models import Run
from tests.conftest import REPO
from tests.live import free_port, run_gunicorn, server_env, wait_for


def _runner_client(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Runner {token.key}")
    return client


def _metadata(**fields) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in fields.items())


def test_a_runner_token_claims_only_its_queue(cast, api, built_record, remote_method, runner_token):
    record = built_record()
    local, _ = services.submit(cast.alice, "image-stats", record.pk)  # a run of the analysis queue
    client = _runner_client(api, runner_token)
    assert client.post("/api/v1/runner/claim", {"queue": "analysis", "wait": 0}, format="json").status_code == 400
    assert client.post("/api/v1/runner/claim", {"wait": 0}, format="json").status_code == 204
    remote, _ = services.submit(cast.alice, "remote-stats", record.pk)
    job = client.post("/api/v1/runner/claim", {"wait": 0}, format="json").json()
    assert job["id"] == str(remote.pk) and job["target"] == "lims.analysis.methods.image_stats"
    assert Run.objects.get(pk=remote.pk).state == Run.State.RUNNING
    assert Run.objects.get(pk=local.pk).state == Run.State.QUEUED
    # nothing of the local run, nothing of people's API, no claim without the token
    assert client.get(f"/api/v1/runner/runs/{local.pk}/inputs/{local.inputs[0]['file_id']}").status_code == 404
    assert client.post(f"/api/v1/runner/runs/{local.pk}/finish", {"state": "FAILED"}, format="json").status_code == 404
    assert client.get("/api/v1/runs/").status_code in (401, 403)  # it is nobody to the people's API
    assert api(cast.tokens["alice"]).post("/api/v1/runner/claim", {}, format="json").status_code in (401, 403)
    # outputs cannot leave the run's session
    answer = client.post("/api/v1/runner/uploads/", HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH="1",
                         HTTP_UPLOAD_METADATA=_metadata(session=job["outputs"]["session"], filename="../escape.txt"))
    assert answer.status_code == 400


def test_the_session_staged_for_outputs_waits_for_its_run_and_is_capped(cast, api, built_record, remote_method,
                                                                        runner_token, settings,
                                                                        django_capture_on_commit_callbacks):
    from lims.records.pipeline import build_now
    from lims.sessions.models import Session

    run, _ = services.submit(cast.alice, "remote-stats", built_record().pk)
    client = _runner_client(api, runner_token)
    job = client.post("/api/v1/runner/claim", {"wait": 0}, format="json").json()
    staged = Session.objects.get(pk=job["outputs"]["session"])
    assert Run.objects.get(pk=run.pk).output_session == staged and staged.state == Session.State.ENDED
    assert build_now(str(staged.pk)) == Session.State.ENDED  # not built while the run goes on
    assert staged.build_queued is not None  # not a build the outbox owes the broker
    settings.ANALYSIS_OUTPUT_LIMIT_MB = 1
    answer = client.post("/api/v1/runner/uploads/", HTTP_TUS_RESUMABLE="1.0.0", HTTP_UPLOAD_LENGTH=str(2 ** 20 + 1),
                         HTTP_UPLOAD_METADATA=_metadata(session=str(staged.pk), filename="big.bin"))
    assert answer.status_code == 413
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/api/v1/runner/runs/{run.pk}/finish", {"state": "CANCELLED"}, format="json")
    assert answer.json() == {"state": "CANCELLED"}
    assert not Session.objects.filter(pk=staged.pk).exists()


@pytest.mark.live
def test_a_runner_process_runs_a_method_of_its_queue(cast, transactional_db, built_record, remote_method,
                                                     runner_token, tmp_path, settings):
    from django.db import connection

    record = built_record()
    run, _ = services.submit(cast.alice, "remote-stats", record.pk, params={"bins": 6})
    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)  # no broker: builds run in-process
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web:
        runner = subprocess.run(
            [sys.executable, "-m", "lims_client.runner", "--server", web.url, "--token", runner_token.key,
             "--queue", "gpu", "--once", "--code", str(REPO), "--work", str(tmp_path / "work"), "--wait", "5"],
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO / "client")},
            capture_output=True, text=True, timeout=180,
        )
    assert runner.returncode == 0, runner.stdout + runner.stderr
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED and run.worker == "runner:gpu-box"
    assert run.summary["fringes.tif"]["shape"] == [120, 120]
    wait_for(lambda: Run.objects.get(pk=run.pk).output_record is not None, 60, what="the derived record")
    derived = Run.objects.get(pk=run.pk).output_record
    assert set(derived.session.files.values_list("relative_path", flat=True)) == {
        "fringes-stats.json", "fringes-histogram.csv", "summary.json"}
    assert derived.kind == "DERIVED"


@pytest.mark.live
def test_analysis_from_python(cast, transactional_db, built_record, tmp_path, settings):
    """The client's methods and runs against a real server: list, run, wait, result, bad parameters named."""
    from django.db import connection

    sys.path.insert(0, str(REPO / "client"))
    try:
        from lims_client import Client, ValidationError
    finally:
        sys.path.remove(str(REPO / "client"))
    record = built_record()
    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web, \
            Client(web.url, cast.tokens["alice"]) as client:
        assert "fft-power-spectrum" in {m.slug for m in client.methods}
        method = client.methods.get("image-stats")
        run = method.run(record.pk, params={"bins": 7}).wait(timeout=120)
        assert run.state == "SUCCEEDED" and not run.reused
        derived = run.result
        assert derived.id == Run.objects.get(pk=run.id).output_record.pk
        assert "fringes-stats.json" in {f.name for f in derived.files}
        assert method.run(record, params={"bins": 7}).reused
        assert run.id in {r.id for r in client.runs}
        with pytest.raises(ValidationError) as refused:
            method.run(record.pk, params={"bins": 1})
        assert refused.value.status == 400 and set(refused.value.fields) == {"params.bins"}
