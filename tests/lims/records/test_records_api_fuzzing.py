"""Schemathesis fuzzes the records API from its OpenAPI schema: no request may cause a server error."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = 30


@pytest.fixture
def real_spectrum(records, tmp_path):
    """The platinum record's spectrum holds a real EMSA file, so its plot has data to serve."""
    import hashlib

    from tests.data.make_msa import make_msa

    data_file = records["platinum"].session.files.get(relative_path="area1/edge.msa")
    content = make_msa(tmp_path).read_bytes()
    data_file.absolute_path.write_bytes(content)
    data_file.sha256 = hashlib.sha256(content).hexdigest()
    data_file.save(update_fields=["sha256"])


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_no_generated_request_to_the_records_api_causes_a_server_error(records, real_spectrum, cast, live_server,
                                                                        tmp_path):
    command = [
        str(SCHEMATHESIS), "run", f"{live_server.url}/api/schema/",
        "--url", live_server.url,
        "--include-path-regex", "^/api/v1/records",
        "--checks", "not_a_server_error",
        "--max-examples", str(MAX_EXAMPLES),
        "--phases", "examples,coverage,fuzzing",
        "--seed", "20251114",
        "--workers", "1",
        "--header", f"Authorization: Token {cast.tokens['alice']}",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    report = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert "No issues found" in done.stdout, done.stdout[-3000:]
    cases = re.search(r"Test cases:\s*(\d+) generated", done.stdout)
    assert cases and int(cases.group(1)) >= 100, report
