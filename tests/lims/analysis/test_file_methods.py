"""Notebook (papermill) and Snakefile methods, published with `publish_method`, each produce a derived record."""
import io
import json

import pytest
from django.core.management import call_command

from lims.analysis import services
from lims.analysis.models import Method, Run
from tests.data import make_analysis

SNAKEFILE = '''
import os

rule all:
    output: os.path.join(config["output_dir"], "sizes.txt")
    run:
        with open(output[0], "w") as handle:
            for path, name in zip(config["inputs"], config["input_names"]):
                handle.write(f"{name} {os.path.getsize(path) * config['params']['factor']}\\n")
'''


def _notebook(path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell("bins = 4\nlabel = 'histogram'\ninputs = []\noutput_dir = '.'",
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import json, os\n"
            "from records.extractors import extract\n"
            "import numpy as np\n"
            "data = np.asarray(extract(inputs[0]).loader().array)\n"
            "counts, _ = np.histogram(data, bins=bins)\n"
            "print(label, counts.tolist())\n"
            "json.dump({'label': label, 'counts': counts.tolist()}, open(os.path.join(output_dir, 'hist.json'), 'w'))"),
    ]
    nbformat.write(notebook, path)
    return path


def _publish(path, kind, slug, *extra):
    out = io.StringIO()
    call_command("publish_method", str(path), "--kind", kind, "--slug", slug, "--version", "1", *extra, stdout=out)
    return out.getvalue()


def test_a_notebook_method_produces_a_derived_record(cast, built_record, run_inline, tmp_path):
    pytest.importorskip("papermill")
    assert _publish(_notebook(tmp_path / "hist.ipynb"), "notebook", "notebook-histogram", "--accepts", "image") == \
        "notebook-histogram 1 published\n"
    method = Method.objects.get(slug="notebook-histogram")
    assert set(method.param_schema["properties"]) == {"bins", "label"}
    assert method.param_schema["properties"]["bins"] == {"type": "integer", "title": "Bins", "default": 4}
    record = built_record()
    with pytest.raises(services.SubmissionError) as refused:
        services.submit(cast.alice, "notebook-histogram", record.pk, params={"bins": "four"})
    assert set(refused.value.errors) == {"params.bins"}
    run, _ = run_inline(lambda: services.submit(cast.alice, "notebook-histogram", record.pk, params={"bins": 3}))
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED, run.error + run.log
    derived = run.output_record
    names = set(derived.session.files.values_list("relative_path", flat=True))
    assert {"notebook.ipynb", "notebook.html", "hist.json", "summary.json"} <= names
    hist = json.loads((derived.session.storage_dir / "hist.json").read_text())
    assert hist["label"] == "histogram" and len(hist["counts"]) == 3 and sum(hist["counts"]) == 120 * 120
    html = (derived.session.storage_dir / "notebook.html").read_text()
    assert "<html" in html and "histogram [" in html  # the executed cell's output is in the rendering
    assert derived.kind == "DERIVED"


def test_a_failing_notebook_fails_the_run(cast, built_record, run_inline, tmp_path):
    pytest.importorskip("papermill")
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("raise ValueError('bad notebook')")]
    nbformat.write(notebook, tmp_path / "bad.ipynb")
    _publish(tmp_path / "bad.ipynb", "notebook", "bad-notebook")
    record = built_record()
    run, _ = run_inline(lambda: services.submit(cast.alice, "bad-notebook", record.pk))
    run.refresh_from_db()
    assert run.state == Run.State.FAILED and "bad notebook" in run.error
    assert run.output_session is None


def test_a_snakefile_method_produces_a_derived_record(cast, built_record, run_inline, tmp_path):
    pytest.importorskip("snakemake")
    snakefile = tmp_path / "Snakefile"
    snakefile.write_text(SNAKEFILE)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {
        "factor": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1}}}))
    _publish(snakefile, "snakemake", "sizes", "--schema", str(schema))
    record = built_record(make_analysis.make_fringes, make_analysis.make_eds_msa)
    with pytest.raises(services.SubmissionError) as refused:
        services.submit(cast.alice, "sizes", record.pk, params={"factor": 11})
    assert set(refused.value.errors) == {"params.factor"}
    run, _ = run_inline(lambda: services.submit(cast.alice, "sizes", record.pk, params={"factor": 2}))
    run.refresh_from_db()
    assert run.state == Run.State.SUCCEEDED, run.error + run.log
    derived = run.output_record
    assert set(derived.session.files.values_list("relative_path", flat=True)) == {"sizes.txt", "summary.json"}
    lines = (derived.session.storage_dir / "sizes.txt").read_text().split("\n")
    sizes = {f.relative_path: f.size for f in record.session.files.all()}
    assert sorted(lines[:2]) == sorted(f"{name} {size * 2}" for name, size in sizes.items())
