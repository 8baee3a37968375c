"""`publish_method` registers a facility's method (immutable once it has runs); `run_method` runs one."""
import io

import pytest
from django.core.management import CommandError, call_command

from lims.analysis.models import Method, Run

METHOD_FILE = '''"""Counts the files it is given."""
from lims.analysis.params import Params as BaseParams

TITLE = "Count"
VERSION = "ignored"
ACCEPTS = ["image"]


class Params(BaseParams):
    pass


def run(context):
    return {"files": len(context.inputs)}
'''


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_publish_a_python_file_then_run_it(cast, built_record, tmp_path, run_inline):
    source = tmp_path / "count.py"
    source.write_text(METHOD_FILE)
    assert _call("publish_method", str(source), "--kind", "python", "--slug", "count", "--version", "1") == \
        "count 1 published\n"
    assert _call("publish_method", str(source), "--kind", "python", "--slug", "count", "--version", "1") == \
        "count 1 unchanged\n"
    record = built_record()
    output = run_inline(lambda: _call("run_method", "count", "--record", str(record.pk), "--params", "{}"))
    run = Run.objects.get(pk=output.strip())
    assert run.state == Run.State.SUCCEEDED and run.summary == {"files": 1}
    # a version with runs is immutable
    source.write_text(METHOD_FILE.replace("len(context.inputs)", "2"))
    with pytest.raises(CommandError, match="already has runs"):
        _call("publish_method", str(source), "--kind", "python", "--slug", "count", "--version", "1")
    assert _call("publish_method", str(source), "--kind", "python", "--slug", "count", "--version", "2") == \
        "count 2 published\n"
    assert Method.objects.filter(slug="count").count() == 2


def test_publish_refuses_a_module_without_a_method(db):
    with pytest.raises(CommandError, match="lacks"):
        _call("publish_method", "lims.analysis.params", "--kind", "python", "--slug", "nothing", "--version", "1")
    with pytest.raises(CommandError, match="cannot be imported"):
        _call("publish_method", "no.such.module", "--kind", "python", "--slug", "nothing", "--version", "1")


@pytest.mark.django_db(transaction=True)  # commits as the command does, so the run starts (in-process)
def test_run_method_waits_and_prints_the_derived_record(cast, built_record, settings):
    record = built_record()
    output = _call("run_method", "image-stats", "--record", str(record.pk), "--params", '{"bins": 4}', "--wait",
                   "--timeout", "60")
    run_id, url = output.split()
    run = Run.objects.get(pk=run_id)
    assert url == f"{settings.SITE_URL}/records/{run.output_record.pk}/"


def test_run_method_fails_on_bad_parameters(cast, built_record):
    record = built_record()
    with pytest.raises(CommandError, match="params.bins"):
        _call("run_method", "image-stats", "--record", str(record.pk), "--params", '{"bins": -1}')
    with pytest.raises(CommandError, match="not JSON"):
        _call("run_method", "image-stats", "--record", str(record.pk), "--params", "{bins")


@pytest.mark.django_db(transaction=True)
def test_run_method_exits_non_zero_when_the_run_fails(cast, built_record, misbehaving):
    record = built_record()
    with pytest.raises(CommandError, match="FAILED: RuntimeError"):
        _call("run_method", "misbehaving", "--record", str(record.pk), "--params", '{"behaviour": "raise"}',
              "--wait", "--timeout", "60")
