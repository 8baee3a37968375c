"""A file whose bytes changed after the logger hashed it is reported as changed and never stored."""

import pytest

from logger.uploader import FileChanged, Uploader

from .conftest import make_files, start_session, stored_files

pytestmark = pytest.mark.live


# (chunk size, largest file sent in one request): one streamed request, one chunk, many chunks.
WAYS = [(65536, 1 << 20), (1 << 20, 0), (65536, 0)]
WAY_NAMES = ["one request", "one chunk", "many chunks"]


@pytest.mark.parametrize("chunk_size, single_request_max", WAYS, ids=WAY_NAMES)
def test_it_reports_a_file_changed_since_hashing_and_the_server_keeps_nothing(lims_server, watched, chunk_size,
                                                                              single_request_max):
    session_id = start_session(lims_server)
    announced = make_files(watched, {"a.dm3": 200_000})["a.dm3"]
    make_files(watched, {"a.dm3": 200_000}, seed=8)  # same size, other bytes
    uploader = Uploader(lims_server.url, lims_server.token, chunk_size=chunk_size, sleep=lambda seconds: None,
                        single_request_max=single_request_max)

    with pytest.raises(FileChanged, match="a.dm3 changed while it was being sent"):
        uploader.upload(str(watched / "a.dm3"), "a.dm3", session_id, announced)
    uploader.close()

    assert stored_files(session_id) == {}


@pytest.mark.parametrize("chunk_size, single_request_max", WAYS + [(50_000, 0)], ids=WAY_NAMES + ["uneven chunks"])
def test_it_sends_an_unchanged_file_whole_in_one_or_many_chunks(lims_server, watched, chunk_size, single_request_max):
    session_id = start_session(lims_server)
    digest = make_files(watched, {"b.dm3": 200_000})["b.dm3"]
    uploader = Uploader(lims_server.url, lims_server.token, chunk_size=chunk_size,
                        single_request_max=single_request_max)

    result = uploader.upload(str(watched / "b.dm3"), "b.dm3", session_id, digest)
    uploader.close()

    assert (result.length, result.resumed_from) == (200_000, 0)
    assert stored_files(session_id) == {"b.dm3": [(1, digest, digest)]}
