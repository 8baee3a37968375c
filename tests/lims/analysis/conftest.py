"""Records with calibrated inputs for the analysis tests, built by the real pipeline."""
import pytest

from lims.analysis import registry
from lims.analysis.models import RunnerToken
from tests.data import make_analysis


@pytest.fixture
def built_record(cast, make_session, tmp_path):
    """built_record(*makers, visibility=..., account=...) -> a built Record of generated files (fringes by default)."""
    from lims.records.pipeline import build_now

    def make(*makers, visibility="private", account=None, instrument=None):
        folder = tmp_path / "inputs"
        folder.mkdir(exist_ok=True)
        files = {}
        for maker in makers or (make_analysis.make_fringes,):
            path = maker(folder)
            files[path.name] = path.read_bytes()
        session = make_session(instrument or cast.titan, files, visibility=visibility,
                               account=account or cast.alice)
        assert build_now(str(session.pk)) == "COMPLETED"
        session.refresh_from_db()
        return session.record

    return make


@pytest.fixture
def run_inline(django_capture_on_commit_callbacks):
    """Calls `action()` and runs what it queued (the run's supervisor, the derived record's build) inline."""
    def call(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return call


@pytest.fixture
def misbehaving(db):
    """The test method `misbehaving` (tests/lims/analysis/misbehaving.py), published."""
    from lims.analysis import registry

    method, _ = registry.publish(registry.python_definition("tests.lims.analysis.misbehaving"), "misbehaving")
    return method


@pytest.fixture
def remote_method(db):
    """image-stats published on the queue "gpu", which only remote runners read."""
    definition = {**registry.python_definition("lims.analysis.methods.image_stats"), "queue": "gpu"}
    return registry.publish(definition, "remote-stats")[0]


@pytest.fixture
def runner_token(db):
    return RunnerToken.objects.create(name="gpu-box", queue="gpu")
