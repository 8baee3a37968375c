"""Running a Snakefile method (in the run's child process): `snakemake --cores 1` in the output folder, with
the run's parameters, inputs and output folder in its config."""
import json
import shutil
import subprocess
import sys


def run_snakefile(job: dict, context) -> dict:
    out = context.out
    config = {"params": context.params or {}, "inputs": [str(i.path) for i in context.inputs],
              "input_names": [i.name for i in context.inputs], "output_dir": str(out)}
    config_path = out.parent / "snakemake-config.json"
    config_path.write_text(json.dumps(config))
    context.progress(0.05, "starting snakemake")
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", job["target"], "--cores", "1", "--configfile",
         str(config_path), "--directory", str(out), "--nolock"],
        stdin=subprocess.DEVNULL, check=False,
    )
    shutil.rmtree(out / ".snakemake", ignore_errors=True)  # snakemake's own bookkeeping is no output
    if result.returncode != 0:
        raise RuntimeError(f"snakemake exited with status {result.returncode} (see the log)")
    return {"snakefile": job["target"].rsplit("/", 1)[-1], "outputs": sorted(p.name for p in out.iterdir())}
