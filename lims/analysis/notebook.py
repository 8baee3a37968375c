"""Running a notebook method (in the run's child process): papermill executes it with the run's parameters,
and the executed notebook is kept as an output, also rendered to HTML."""
from pathlib import Path

EXECUTED = "notebook.ipynb"
RENDERED = "notebook.html"

def run_notebook(job: dict, context) -> dict:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    out = context.out
    parameters = {**(context.params or {}), "inputs": [str(i.path) for i in context.inputs],
                  "input_names": [i.name for i in context.inputs], "output_dir": str(out)}
    context.progress(0.05, "starting the notebook")
    executed = out / EXECUTED
    papermill.execute_notebook(job["target"], str(executed), parameters=parameters, kernel_name="python3",
                               language="python", cwd=str(out), progress_bar=False, log_output=True)
    context.progress(0.95, "rendering the notebook")
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    (out / RENDERED).write_text(body, encoding="utf-8")
    return {"notebook": Path(job["target"]).name, "outputs": sorted(p.name for p in out.iterdir())}
