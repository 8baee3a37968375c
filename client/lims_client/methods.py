"""Analysis from Python: `methods = Methods(url, token)`; `methods.list()`, `methods.get(slug)`,
`method.run(record_id, files=None, **params)`, `run.wait(progress=True)`, `run.cancel()`, `run.result`.

Standard library only; the client's `Client` can hand out `Methods(client.url, client.token)` as
`client.methods`. Errors: `RunFailed` (the run ended otherwise than SUCCEEDED), `RequestError` (the server said
no: `status` and `errors` naming each bad field).
"""
import json
import sys
import time
import urllib.error
import urllib.request

FINAL = ("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")


class RequestError(Exception):
    def __init__(self, status: int, body: dict):
        super().__init__(f"{status}: {body.get('detail', body)}")
        self.status, self.body, self.errors = status, body, body.get("errors") or {}


class RunFailed(Exception):
    def __init__(self, run: "Run"):
        super().__init__(f"run {run.id} {run.state}: {run.data.get('error') or run.data.get('message')}")
        self.run = run


class _Http:
    def __init__(self, url: str, token: str, timeout: float = 60.0):
        self.url, self.token, self.timeout = url.rstrip("/"), token, timeout

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read())
            except ValueError:
                detail = {"detail": exc.reason}
            raise RequestError(exc.code, detail) from None


class Run:
    """One run; `data` is its latest state from the server."""

    def __init__(self, http: _Http, data: dict):
        self._http, self.data = http, data

    id = property(lambda self: self.data["id"])
    state = property(lambda self: self.data["state"])
    reused = property(lambda self: bool(self.data.get("reused")))

    def refresh(self) -> "Run":
        self.data = self._http.call("GET", f"/api/v1/runs/{self.id}/")
        return self

    def wait(self, progress: bool = False, timeout: float | None = None, interval: float = 1.0) -> "Run":
        """Wait for the run to end (and its derived record to exist); RunFailed unless it SUCCEEDED."""
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
            raise RunFailed(self)
        return self

    def cancel(self) -> "Run":
        self.data = self._http.call("POST", f"/api/v1/runs/{self.id}/cancel")
        return self

    @property
    def result(self) -> int | None:
        """The derived record's id (None until the run succeeded)."""
        return self.data.get("output_record")

    def log(self) -> str:
        request = urllib.request.Request(f"{self._http.url}/api/v1/runs/{self.id}/log",
                                         headers={"Authorization": f"Token {self._http.token}"})
        with urllib.request.urlopen(request, timeout=self._http.timeout) as response:
            return response.read().decode("utf-8", "replace")


class Method:
    def __init__(self, http: _Http, data: dict):
        self._http, self.data = http, data

    slug = property(lambda self: self.data["slug"])
    version = property(lambda self: self.data["version"])

    def run(self, record: int, files: list[int] | None = None, recompute: bool = False, **params) -> Run:
        """Start a run (or get an identical earlier one, `run.reused`, unless `recompute`)."""
        body = {"method": self.slug, "version": self.version, "record": record, "params": params,
                "recompute": recompute}
        if files:
            body["files"] = files
        return Run(self._http, self._http.call("POST", "/api/v1/runs/", body))


class Methods:
    def __init__(self, url: str, token: str):
        self._http = _Http(url, token)

    def list(self) -> list[Method]:
        return [Method(self._http, m) for m in self._http.call("GET", "/api/v1/methods/?page_size=200")["results"]]

    def get(self, slug: str, version: str | None = None) -> Method:
        query = f"?version={version}" if version else ""
        return Method(self._http, self._http.call("GET", f"/api/v1/methods/{slug}/{query}"))

    def run(self, run_id: str) -> Run:
        return Run(self._http, self._http.call("GET", f"/api/v1/runs/{run_id}/"))
