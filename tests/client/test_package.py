"""`pip install ./client` gives an importable `lims_client` with its command and runner, and nothing of the server."""
import subprocess
import sys
import zipfile

from tests.conftest import REPO


def test_the_client_builds_into_a_wheel_that_installs_and_imports_on_its_own(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path / "wheel"), str(REPO / "client")], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "wheel").glob("lims_client-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"lims_client/__init__.py", "lims_client/runner.py", "lims_client/cli.py"} <= set(names)
    assert not [name for name in names if name.startswith(("lims/", "records/", "tests/"))]
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "lims-client = lims_client.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    probe = ("import sys, lims_client; from lims_client import Client; "
             "assert lims_client.__file__.startswith(sys.argv[1]), lims_client.__file__; "
             "assert 'lims' not in sys.modules and 'django' not in sys.modules; print('ok')")
    result = subprocess.run([sys.executable, "-c", probe, str(target)], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "ok", result.stderr
