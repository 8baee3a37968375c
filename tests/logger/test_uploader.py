"""The tus client's building blocks: metadata encoding, streamed hashing, backoff when the server is away."""
import base64
import hashlib

import pytest

from logger.api import Offline
from logger.uploader import Uploader, encode_metadata, file_sha256

from .conftest import closed_port


def test_metadata_is_comma_separated_keys_with_base64_values_in_order():
    header = encode_metadata([("session", "0b6c"), ("filename", "run 1/é.dm3"), ("mtime", "12.500")])
    pairs = [pair.split(" ") for pair in header.split(",")]
    assert [key for key, _ in pairs] == ["session", "filename", "mtime"]
    assert [base64.b64decode(value).decode("utf-8") for _, value in pairs] == ["0b6c", "run 1/é.dm3", "12.500"]


def test_the_file_hash_is_the_sha256_of_every_byte(tmp_path):
    data = bytes(range(256)) * 9000
    path = tmp_path / "a.bin"
    path.write_bytes(data)
    assert file_sha256(str(path), block=1000) == hashlib.sha256(data).hexdigest()


def test_it_retries_with_exponential_backoff_then_reports_the_server_unreachable(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"x" * 100)
    waits = []
    uploader = Uploader(f"http://127.0.0.1:{closed_port()}", "token", retries=5, backoff=0.5, max_backoff=3,
                        sleep=waits.append)
    with pytest.raises(Offline, match="cannot reach"):
        uploader.upload(str(path), "a.bin", "0b6c", "00" * 32)
    assert waits == [0.5, 1.0, 2.0, 3, 3]
