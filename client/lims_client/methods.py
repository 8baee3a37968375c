"""Analysis from Python: `client.methods` (iterate, or `client.methods.get(slug)`), `method.run(record,
params={...})`, `run.wait(progress=True)`, `run.cancel()`, `run.result` (the derived record), and
`client.runs` (one's runs, or `client.runs.get(id)`).

Errors are the client's own (`lims_client.errors`): `ValidationError` naming each bad field, `NotVisible`
for a record one cannot see, `RunFailed` for a run that ended otherwise than SUCCEEDED.
"""
from __future__ import annotations

import sys
import time
from typing import Iterator

from lims_client.connection import Connection
from lims_client.errors import RunFailed
from lims_client.records import Record

FINAL = ("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")


class Run:
    """One run; `data` is its latest state from the server."""

    def __init__(self, conn: Connection, data: dict):
        self._conn, self.data = conn, data

    id = property(lambda self: self.data["id"])
    state = property(lambda self: self.data["state"])
    reused = property(lambda self: bool(self.data.get("reused")))

    def __repr__(self) -> str:
        return f"<Run {self.id} {self.data.get('method')} {self.state}>"

    def refresh(self) -> "Run":
        self.data = self._conn.get(f"/api/v1/runs/{self.id}/", hidden=True)
        return self

    def wait(self, progress: bool = False, timeout: float | None = None, interval: float = 1.0) -> "Run":
        """Wait for the run to end (and its derived record to be built); RunFailed unless it SUCCEEDED."""
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            self.refresh()
            if progress:
                print(f"\r{self.state} {self.data['progress'] * 100:5.1f}% {self.data['message'][:60]:<60}",
                      end="", file=sys.stderr, flush=True)
            if self.state in FINAL and (self.state != "SUCCEEDED" or self.data.get("output_record")):
                break
            if deadline and time.monotonic() > deadline:
                raise TimeoutError(f"run {self.id} still {self.state} after {timeout} s")
            time.sleep(interval)
        if progress:
            print(file=sys.stderr)
        if self.state != "SUCCEEDED":
            raise RunFailed(f"run {self.id} {self.state}: {self.data.get('error') or self.data.get('message')}",
                            self)
        return self

    def cancel(self) -> "Run":
        self.data = self._conn.post(f"/api/v1/runs/{self.id}/cancel")
        return self

    @property
    def result(self) -> Record | None:
        """The derived record (None until the run succeeded and its record exists)."""
        record_id = self.data.get("output_record")
        return Record(self._conn, self._conn.get(f"/api/v1/records/{record_id}/", hidden=True)) if record_id else None

    def log(self) -> str:
        return self._conn.request("GET", f"/api/v1/runs/{self.id}/log", hidden=True).text


class Method:
    def __init__(self, conn: Connection, data: dict):
        self._conn, self.data = conn, data

    slug = property(lambda self: self.data["slug"])
    version = property(lambda self: self.data["version"])

    def __repr__(self) -> str:
        return f"<Method {self.slug} {self.version}>"

    def run(self, record: Record | int, params: dict | None = None, files: list | None = None,
            recompute: bool = False) -> Run:
        """Start a run on a record (or get an identical earlier one, `run.reused`, unless `recompute`)."""
        body = {"method": self.slug, "version": self.version, "record": getattr(record, "id", record),
                "params": params or {}, "recompute": recompute}
        if files:
            body["files"] = [getattr(f, "id", f) for f in files]
        return Run(self._conn, self._conn.post("/api/v1/runs/", body))


class Methods:
    """The registered methods: iterate, or `get(slug, version=None)`."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def __iter__(self) -> Iterator[Method]:
        return (Method(self._conn, m) for m in self._conn.pages("/api/v1/methods/"))

    def list(self) -> list[Method]:
        return list(self)

    def get(self, slug: str, version: str | None = None) -> Method:
        return Method(self._conn, self._conn.get(f"/api/v1/methods/{slug}/", version=version))


class Runs:
    """One's runs: iterate (newest first), or `get(run_id)`."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def __iter__(self) -> Iterator[Run]:
        return (Run(self._conn, r) for r in self._conn.pages("/api/v1/runs/"))

    def get(self, run_id: str) -> Run:
        return Run(self._conn, self._conn.get(f"/api/v1/runs/{run_id}/", hidden=True))
