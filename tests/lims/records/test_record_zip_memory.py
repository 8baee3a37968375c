"""The whole-record ZIP streams in constant memory: a file far larger than the peak never sits in memory."""
import tracemalloc

import pytest
from record_factory import make_record

pytestmark = pytest.mark.django_db

BIG = 64 * 1024 * 1024


def test_the_zip_of_a_64_mb_file_streams_with_a_small_memory_peak(cast, client):
    record = make_record(cast.titan, "alice", cast.alice, files=[{"name": "small.txt", "content": b"hello"}])
    big = record.session.files.get()
    with big.absolute_path.open("wb") as handle:
        handle.truncate(BIG)  # sparse: 64 MB of zeros without using the disk
    client.force_login(cast.alice)
    response = client.get(f"/records/{record.pk}/download.zip")
    total = 0
    tracemalloc.start()
    for chunk in response.streaming_content:
        total += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == int(response["Content-Length"]) > BIG
    assert peak < 8 * 1024 * 1024
