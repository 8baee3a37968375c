"""A runner's outputs go up with tus: a real runner process sends outputs of many chunks that the derived
record holds whole with their sha256, resumes from the server's offset after its connection is cut, and
its token uploads only into the session staged for its own running run."""
import hashlib
import re
import subprocess
import sys

import pytest

from lims.analysis import services
from lims.analysis.models import Run, RunnerToken
from lims.sessions import objects
from lims.sessions.models import Session
from lims.uploads.models import Upload
from tests.conftest import REPO
from tests.live import DroppingProxy, free_port, run_gunicorn, server_env, wait_for

BINS = 4096  # the histogram CSV has BINS + 1 lines, about 180 kB
CHUNK = 16 * 1024
OUTPUTS = {"fringes-histogram.csv", "fringes-stats.json"}

pytestmark = pytest.mark.live


@pytest.fixture
def client_package():
    sys.path.insert(0, str(REPO / "client"))
    try:
        from lims_client import errors, tus
        from lims_client.connection import Connection
    finally:
        sys.path.remove(str(REPO / "client"))
    return Connection, tus, errors


def _run_runner(url: str, token: RunnerToken, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lims_client.runner", "--server", url, "--token", token.key, "--queue", "gpu",
         "--once", "--code", str(REPO), "--work", str(tmp_path / "work"), "--wait", "5",
         "--chunk-size", str(CHUNK)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO / "client")},
        capture_output=True, text=True, timeout=180,
    )


def _assert_outputs_whole(run: Run) -> Session:
    """The derived record holds every output with the sha256 of its stored bytes, each upload complete."""
    derived = wait_for(lambda: Run.objects.get(pk=run.pk).output_record, 60, what="the derived record")
    session = derived.session
    assert set(session.files.values_list("relative_path", flat=True)) == OUTPUTS | {"summary.json"}
    histogram = session.files.get(relative_path="fringes-histogram.csv")
    with objects.open_stored(histogram.storage_key) as handle:
        data = handle.read()
    assert histogram.size == len(data) > 4 * CHUNK
    assert histogram.sha256 == hashlib.sha256(data).hexdigest()
    assert len(data.decode().splitlines()) == BINS + 1
    uploads = list(Upload.objects.filter(session=session).select_related("datafile"))
    assert {upload.relative_path for upload in uploads} == OUTPUTS
    assert all(u.is_complete and u.offset == u.length and u.sha256 == u.datafile.sha256 for u in uploads)
    return session


def test_a_runner_sends_outputs_of_many_chunks_that_the_derived_record_holds_whole(
        cast, transactional_db, built_record, remote_method, runner_token, tmp_path, settings):
    from django.db import connection

    run, _ = services.submit(cast.alice, "remote-stats", built_record().pk, params={"bins": BINS})
    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)  # no broker: builds run in-process
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web:
        runner = _run_runner(web.url, runner_token, tmp_path)
    assert runner.returncode == 0, runner.stdout + runner.stderr
    assert "resuming" not in runner.stderr
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED
    assert _assert_outputs_whole(run).derived_by == run


def test_a_runner_whose_connection_is_cut_resumes_from_the_servers_offset(
        cast, transactional_db, built_record, remote_method, runner_token, tmp_path, settings):
    from django.db import connection

    run, _ = services.submit(cast.alice, "remote-stats", built_record().pk, params={"bins": BINS})
    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)
    port = free_port()
    # cut after about three chunks of the first output went up (claim and progress reports are small)
    with run_gunicorn(env, port, workers=1, log_dir=tmp_path), DroppingProxy(port, after=60_000) as proxy:
        runner = _run_runner(proxy.url, runner_token, tmp_path)
    assert runner.returncode == 0, runner.stdout + runner.stderr
    assert proxy.dropped == 1
    resumed = re.findall(r"fringes-histogram\.csv: resuming at byte (\d+) of (\d+)", runner.stderr)
    assert len(resumed) == 1, runner.stderr
    offset, size = map(int, resumed[0])
    assert 0 < offset < size and offset % CHUNK == 0  # a cut chunk is discarded whole; earlier ones are kept
    _assert_outputs_whole(run)


def test_a_runner_token_uploads_only_into_the_session_of_its_own_running_run(
        cast, transactional_db, built_record, remote_method, runner_token, tmp_path, settings, client_package):
    from django.db import connection

    Connection, tus, errors = client_package
    record = built_record()
    other_token = RunnerToken.objects.create(name="gpu-two", queue="gpu")
    mine, _ = services.submit(cast.alice, "remote-stats", record.pk, params={"bins": 5})
    theirs, _ = services.submit(cast.alice, "remote-stats", record.pk, params={"bins": 6})
    instrument_session = Session.objects.create(instrument=cast.quanta, user="bob", state=Session.State.ACTIVE)
    output = tmp_path / "out.txt"
    output.write_bytes(b"0123456789" * 100)
    env = server_env(connection.settings_dict, data_root=settings.DATA_ROOT)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web:
        box = Connection(web.url, runner_token.key, scheme="Runner")
        two = Connection(web.url, other_token.key, scheme="Runner")
        job = box.post("/api/v1/runner/claim", {"wait": 0})
        their_job = two.post("/api/v1/runner/claim", {"wait": 0})
        assert {job["id"], their_job["id"]} == {str(mine.pk), str(theirs.pk)}
        endpoint = f"{web.url}/api/v1/runner/uploads/"
        uploader = tus.TusUploader(box, endpoint, chunk_size=300)
        assert uploader.upload(output, "out.txt", session=job["outputs"]["session"]) == \
            hashlib.sha256(output.read_bytes()).hexdigest()

        for session in (their_job["outputs"]["session"], str(instrument_session.pk), str(record.session_id)):
            with pytest.raises(errors.PermissionDenied) as refused:
                uploader.upload(output, "out.txt", session=session)
            assert refused.value.status == 403
        # an upload of the other runner: neither seen nor written
        theirs_upload = two.request("POST", endpoint, headers={
            "Tus-Resumable": "1.0.0", "Upload-Length": "10",
            "Upload-Metadata": tus._metadata({"session": their_job["outputs"]["session"], "filename": "x"})})
        location = theirs_upload.headers["Location"]
        with pytest.raises(errors.NotFound):
            box.request("HEAD", location, headers={"Tus-Resumable": "1.0.0"})
        with pytest.raises(errors.PermissionDenied):
            uploader._patch(location, 0, b"0123456789")
        # the instruments' tus endpoints do not know runner tokens, nor the runner's an instrument's token
        with pytest.raises(errors.PermissionDenied):
            tus.TusUploader(box, f"{web.url}/api/v1/uploads/").upload(output, "out.txt", session=str(
                instrument_session.pk))
        instrument = Connection(web.url, cast.quanta.api_token)
        with pytest.raises(errors.PermissionDenied):
            tus.TusUploader(instrument, endpoint).upload(output, "out.txt", session=str(instrument_session.pk))
        titan = Connection(web.url, cast.titan.api_token)  # the instrument of the staged sessions
        with pytest.raises(errors.PermissionDenied) as refused:
            tus.TusUploader(titan, f"{web.url}/api/v1/uploads/").upload(output, "x.txt",
                                                                         session=job["outputs"]["session"])
        assert refused.value.status == 403
        # a run cannot succeed while an output is incomplete; ending otherwise discards what was staged
        with pytest.raises(errors.LimsError) as incomplete:
            two.post(f"/api/v1/runner/runs/{their_job['id']}/finish", {"state": "SUCCEEDED"})
        assert incomplete.value.status == 409
        assert two.post(f"/api/v1/runner/runs/{their_job['id']}/finish", {"state": "FAILED"})["state"] == "FAILED"
        with pytest.raises(errors.NotFound):  # the staged session is gone
            tus.TusUploader(two, endpoint).upload(output, "late.txt", session=their_job["outputs"]["session"])
    assert not Session.objects.filter(pk=their_job["outputs"]["session"]).exists()
    assert not Upload.objects.filter(pk=location.rsplit("/", 1)[1]).exists()
    assert Session.objects.get(pk=job["outputs"]["session"]).files.get().relative_path == "out.txt"
