"""An independent tus client (tuspy) uploads to the endpoint the logger uses, and the file arrives."""
import hashlib
import uuid

import pytest
from tusclient import client

from .conftest import make_files, stored_files

pytestmark = pytest.mark.live


def test_tuspy_uploads_a_file_into_a_session(lims_server, watched):
    import json
    import urllib.request

    session_id = str(uuid.uuid4())
    request = urllib.request.Request(
        f"{lims_server.url}/api/v1/sessions/", method="POST",
        data=json.dumps({"id": session_id, "user": "alice"}).encode(),
        headers={"Authorization": f"Token {lims_server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
    digests = make_files(watched, {"tuspy.dm3": 250_000})
    path = watched / "tuspy.dm3"

    tus = client.TusClient(f"{lims_server.url}/api/v1/uploads/", headers={"Authorization": f"Token {lims_server.token}"})
    uploader = tus.uploader(str(path), chunk_size=65536, metadata={
        "session": session_id, "filename": "tuspy.dm3", "sha256": digests["tuspy.dm3"]})
    uploader.upload()

    assert uploader.offset == 250_000
    assert stored_files(session_id) == {"tuspy.dm3": [(1, digests["tuspy.dm3"], hashlib.sha256(path.read_bytes()).hexdigest())]}
