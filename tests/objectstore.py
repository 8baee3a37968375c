"""A real S3-compatible store for tests: moto's standalone server in its own process, and a fresh bucket per test
with the settings (STORAGE_URL, AWS_S3_ENDPOINT_URL) and AWS_* variables pointing at it."""
import os
import sys
import uuid

import boto3
import pytest

from tests.live import Process, free_port

PREFIX = "facility"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "lims-test", "AWS_SECRET_ACCESS_KEY": "lims-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's standalone S3-compatible server, in its own process on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = Process("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                     dict(os.environ), log, ready=lambda p: "Running on" in p.output())
    with server:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def store(s3_server, settings, monkeypatch):
    """A fresh bucket, with the settings and AWS_* variables pointing at it; the boto3 client to look in it."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"lims-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, **{k.lower(): v for k, v in CREDENTIALS.items()
                                                          if k != "AWS_DEFAULT_REGION"}, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    settings.STORAGE_URL = f"s3://{bucket}/{PREFIX}"
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.EXTRACT_DURING_SESSION = False

    class Store:
        url = s3_server
        name = bucket
        s3 = client

        def keys(self) -> list[str]:
            listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
            return sorted(entry["Key"] for entry in listed)

        def read(self, key: str) -> bytes:
            return client.get_object(Bucket=bucket, Key=f"{PREFIX}/{key}")["Body"].read()

        def write(self, key: str, data: bytes) -> None:
            client.put_object(Bucket=bucket, Key=f"{PREFIX}/{key}", Body=data)

        def env(self) -> dict:
            return {"STORAGE_URL": settings.STORAGE_URL, "AWS_S3_ENDPOINT_URL": s3_server, **CREDENTIALS}

    return Store()
