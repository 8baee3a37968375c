"""A new file goes in one request streamed from disk, checked by its announced sha256; a request
of that kind that is cut, stopped or outrun by a shrinking file leaves nothing stored, and the
upload goes on in chunks. An upload resumed from the journal is sent in chunks."""
import logging

import pytest

from logger.api import Offline
from logger.uploader import FileChanged, Uploader
from tests.live import DroppingProxy, wait_for

from .conftest import make_files, start_session, stored_files

pytestmark = pytest.mark.live
SIZE = 200_000
CHUNK = 65536


def _patches(server, url: str, expected: int) -> int:
    """PATCH requests the server logged for the upload at `url` (its access log), once `expected` are in."""
    count = lambda: server.output().count(f'"PATCH {url} ')  # noqa: E731
    wait_for(lambda: count() >= expected, timeout=30, what=f"{expected} PATCH lines in the access log")
    return count()


def _offset_of(relative: str) -> int:
    from lims.uploads.models import Upload

    return Upload.objects.get(relative_path=relative).offset


def test_a_new_file_goes_in_one_request_and_a_resumed_upload_in_chunks(lims_server, watched):
    session_id = start_session(lims_server)
    digests = make_files(watched, {"new.dm3": SIZE, "resumed.dm3": SIZE})
    uploader = Uploader(lims_server.url, lims_server.token, chunk_size=CHUNK)

    new = uploader.upload(str(watched / "new.dm3"), "new.dm3", session_id, digests["new.dm3"])
    url, _ = uploader.create(session_id, "resumed.dm3", SIZE, digests["resumed.dm3"])
    resumed = uploader.upload(str(watched / "resumed.dm3"), "resumed.dm3", session_id, digests["resumed.dm3"],
                              url=url)
    uploader.close()

    assert _patches(lims_server, new.url, 1) == 1
    assert _patches(lims_server, resumed.url, 4) == 4  # 200,000 bytes in chunks of 65,536
    assert stored_files(session_id) == {path: [(1, digest, digest)] for path, digest in digests.items()}


def test_files_go_in_chunks_when_they_are_larger_than_the_single_request_max(lims_server, watched):
    session_id = start_session(lims_server)
    digest = make_files(watched, {"a.dm3": SIZE})["a.dm3"]
    uploader = Uploader(lims_server.url, lims_server.token, chunk_size=CHUNK, single_request_max=SIZE - 1)

    result = uploader.upload(str(watched / "a.dm3"), "a.dm3", session_id, digest)
    uploader.close()

    assert _patches(lims_server, result.url, 4) == 4
    assert stored_files(session_id) == {"a.dm3": [(1, digest, digest)]}


def test_progress_is_reported_while_the_single_request_goes_out(lims_server, watched):
    session_id = start_session(lims_server)
    size = 3 * 1024 * 1024 + 5
    digest = make_files(watched, {"a.dm3": size})["a.dm3"]
    uploader = Uploader(lims_server.url, lims_server.token)
    progress = []

    uploader.upload(str(watched / "a.dm3"), "a.dm3", session_id, digest,
                    on_progress=lambda offset, length: progress.append((offset, length)))
    uploader.close()

    offsets = [offset for offset, _ in progress]
    assert len(offsets) >= 3 and offsets == sorted(set(offsets))
    assert progress[-1] == (size, size)


def test_stopping_abandons_the_single_request_and_the_server_keeps_nothing(lims_server, watched):
    session_id = start_session(lims_server)
    size = 4 * 1024 * 1024
    digest = make_files(watched, {"a.dm3": size})["a.dm3"]
    uploader = Uploader(lims_server.url, lims_server.token)
    asked = []

    def should_stop():
        asked.append(True)
        return len(asked) > 2  # once the request is under way

    with pytest.raises(Offline, match="stopped before a.dm3 was complete"):
        uploader.upload(str(watched / "a.dm3"), "a.dm3", session_id, digest, should_stop=should_stop)
    assert stored_files(session_id) == {}
    assert _offset_of("a.dm3") == 0

    # The abandoned connection is not reused: the same client sends the file next time.
    result = uploader.upload(str(watched / "a.dm3"), "a.dm3", session_id, digest)
    uploader.close()
    assert result.resumed_from == 0
    assert stored_files(session_id) == {"a.dm3": [(1, digest, digest)]}


def test_a_file_that_shrinks_during_its_single_request_is_reported_changed(lims_server, watched):
    session_id = start_session(lims_server)
    size = 4 * 1024 * 1024
    digest = make_files(watched, {"a.dm3": size})["a.dm3"]
    path = watched / "a.dm3"
    uploader = Uploader(lims_server.url, lims_server.token)

    def shrink(offset, length):
        with open(path, "r+b") as handle:
            handle.truncate(size // 2)

    with pytest.raises(FileChanged, match="a.dm3 became shorter while it was being sent"):
        uploader.upload(str(path), "a.dm3", session_id, digest, on_progress=shrink)
    uploader.close()
    assert stored_files(session_id) == {}
    assert _offset_of("a.dm3") == 0


def test_a_cut_single_request_goes_on_in_chunks_and_the_file_arrives_once(lims_server, watched, caplog):
    session_id = start_session(lims_server)
    size = 8 * 1024 * 1024
    digest = make_files(watched, {"big.dm3": size})["big.dm3"]
    port = int(lims_server.url.rsplit(":", 1)[1])
    # The first cut hits the single request; the second its one retry on a fresh connection, if made.
    with DroppingProxy(port, after=1024 * 1024, cuts=2, per_connection=True) as relay:
        uploader = Uploader(relay.url, lims_server.token, chunk_size=256 * 1024, sleep=lambda seconds: None)
        with caplog.at_level(logging.WARNING, logger="logger.uploader"):
            result = uploader.upload(str(watched / "big.dm3"), "big.dm3", session_id, digest)
        uploader.close()

    assert relay.dropped >= 1
    assert "sending big.dm3 in one request failed" in caplog.text
    assert _patches(lims_server, result.url, 2) > 1  # the rest went in chunks
    assert stored_files(session_id) == {"big.dm3": [(1, digest, digest)]}
    from lims.uploads.models import Upload

    assert Upload.objects.filter(relative_path="big.dm3").count() == 1
