"""The method's own process: `python -m lims.analysis.child JOB.json`.

Started by the supervisor (`lims.analysis.supervisor`) with a clean environment and operating-system
limits. It checks each input's sha256, runs the method, and reports through files and pipes only:
progress as JSON lines on the descriptor named in the job, its log on stdout/stderr, and the outcome
in `result.json` beside the job. It never sets Django up (no settings, no database) and holds no credentials.
"""
import json
import os
import platform
import sys
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from lims.sessions.storage import sha256_of

PACKAGES = ("numpy", "scipy", "pydantic", "Pint", "xraydb", "rosettasciio", "papermill", "nbconvert", "snakemake")


class InputChanged(RuntimeError):
    """An input's bytes no longer match the sha256 the run was submitted with."""


@dataclass
class Input:
    path: Path
    name: str
    sha256: str
    file_id: int | None = None

    @property
    def stem(self) -> str:
        return Path(self.name).stem.replace("/", "_") or "input"


class Context:
    """What a method sees: its inputs, its parameters, its output folder and a way to report progress."""

    def __init__(self, inputs, params, out: Path, progress_fd: int | None):
        self.inputs, self.params, self.out = inputs, params, out
        self._progress = os.fdopen(progress_fd, "w", buffering=1) if progress_fd is not None else None

    def progress(self, fraction: float, message: str = "") -> None:
        if self._progress is not None:
            self._progress.write(json.dumps({"progress": max(0.0, min(1.0, float(fraction))),
                                             "message": str(message)[:200]}) + "\n")


def environment() -> dict:
    """Python and package versions the method ran with."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"python": platform.python_version(), "platform": platform.platform(), "packages": versions}



def _check_inputs(inputs: list[Input]) -> None:
    for item in inputs:
        if sha256_of(item.path) != item.sha256:
            raise InputChanged(f"{item.name} changed since the run was submitted (sha256 differs)")


def _run_python(job: dict, context_args) -> dict:
    from lims.analysis.loading import load_module
    from lims.analysis.params import validate

    module = load_module(job["target"])
    context = Context(*context_args)
    context.params = validate(module.Params, context.params)
    return module.run(context) or {}


def _run_notebook(job: dict, context_args) -> dict:
    from lims.analysis.notebook import run_notebook

    context = Context(*context_args)
    context.params = _file_params(job, context.params)
    return run_notebook(job, context)


def _file_params(job: dict, params: dict) -> dict:
    """The parameters of a notebook or Snakefile, checked against the method's schema, as plain JSON."""
    from lims.analysis.filemethods import params_model_from_schema
    from lims.analysis.params import validate

    plain = {k: (v["value"] if isinstance(v, dict) and "unit" in v else v) for k, v in params.items()}
    return validate(params_model_from_schema(job.get("schema") or {}), plain).model_dump(mode="json")


def _run_snakemake(job: dict, context_args) -> dict:
    from lims.analysis.snakemake import run_snakefile

    context = Context(*context_args)
    context.params = _file_params(job, context.params)
    return run_snakefile(job, context)


KINDS = {"python": _run_python, "notebook": _run_notebook, "snakemake": _run_snakemake}


def main(job_path: str) -> int:
    job_path = Path(job_path)
    job = json.loads(job_path.read_text())
    result_path = job_path.parent / "result.json"
    outcome = {"environment": environment()}
    try:
        inputs = [Input(Path(i["path"]), i["name"], i["sha256"], i.get("file_id")) for i in job["inputs"]]
        _check_inputs(inputs)
        out = Path(job["out"])
        out.mkdir(parents=True, exist_ok=True)
        outcome["summary"] = KINDS[job["kind"]](job, (inputs, job["params"], out, job.get("progress_fd")))
        status = 0
    except Exception as exc:  # noqa: BLE001 - the reason is the run's error
        traceback.print_exc()
        outcome["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        status = 1
    result_path.write_text(json.dumps(outcome, default=str))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
