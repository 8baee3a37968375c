"""Real processes for tests: free ports, polling with a deadline, and gunicorn/Celery runners.

Tests that start these need `transactional_db`, so what they write is committed and the
subprocesses see it. Every process runs in its own process group, writes to a log file, and is
killed when its context ends; a failing start or a failing test shows the log's last lines.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIVE_SECRET_KEY = "live-test-secret-key-not-for-production"
START_TIMEOUT = 60.0
STOP_GRACE = 15.0
TAIL_LINES = 40


class ProcessExited(RuntimeError):
    """A process ended while a test was waiting for it; never retried by wait_for."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.2, what: str = "a condition") -> Any:
    """Call predicate until it returns something truthy and return that; TimeoutError after timeout seconds.

    Exceptions raised by the predicate count as "not yet" (the last one is named in the error),
    except ProcessExited, which ends the wait at once.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = predicate()
            if result:
                return result
        except ProcessExited:
            raise
        except Exception as exc:  # noqa: BLE001 - not ready yet
            last_error = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}{detail}")
        time.sleep(interval)


def http_get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """GET url and return (status, body), for error statuses too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def http_json(url: str, token: str | None = None, method: str = "GET", body: dict | None = None,
              timeout: float = 15.0) -> tuple[int, dict]:
    """(status, decoded JSON) of an API call, with `Authorization: Token <token>` when given."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def drop_connections(settings_dict: dict, keep: int) -> int:
    """Terminate the connections to this test database (servers', workers'), as a database restart would.

    Asked from PostgreSQL's maintenance database, of the test database by name only; `keep` is the
    backend pid of the test's own connection.
    """
    import psycopg

    with psycopg.connect(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                         user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as maintenance:
        return maintenance.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            (settings_dict["NAME"], keep)).fetchone()[0]


class ConnectionDropper(threading.Thread):
    """Drops the other connections to the test database every `interval` seconds, `times` times or until
    stopped. Made in the test's thread (which must be allowed the database); runs without it."""

    def __init__(self, interval: float, times: int | None = None):
        from django.db import connection

        super().__init__(daemon=True)
        self.interval, self.times = interval, times
        self.stopping = threading.Event()
        self.dropped = 0
        self.settings_dict = dict(connection.settings_dict)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.keep = cursor.fetchone()[0]

    def run(self):
        done = 0
        while (self.times is None or done < self.times) and not self.stopping.wait(self.interval):
            self.dropped += drop_connections(self.settings_dict, self.keep)
            done += 1

    def stop(self):
        self.stopping.set()
        self.join()


def wait_http(url: str, timeout: float, status: int | None = None) -> tuple[int, bytes]:
    """Poll url until it answers (with `status`, when given) and return (status, body)."""

    def answered():
        got = http_get(url, timeout=5.0)
        return got if status is None or got[0] == status else None

    wanted = f"status {status}" if status is not None else "an answer"
    return wait_for(answered, timeout, what=f"{wanted} from {url}")


def _database_url(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    if not engine.endswith("postgresql"):
        raise ValueError(f"live processes support PostgreSQL and SQLite, not {engine}")
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(db['NAME'], safe='')}"


def server_env(
    db_settings: dict, broker_url: str | None = None, data_root: str | Path | None = None, **extra: Any
) -> dict[str, str]:
    """Environment for a subprocess that uses the same database as the running test.

    Pass `django.db.connection.settings_dict`: under pytest-django that is the test database.
    No broker_url means eager Celery (tasks run in-process). Extra keyword arguments are set as
    variables (str() of the value); a value of None removes the variable.
    """
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lims.settings",
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": _database_url(db_settings),
            # Idle connections held by a server would keep the test database from being dropped.
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url or "",
            "SECRET_KEY": LIVE_SECRET_KEY,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1",
        }
    )
    for name in ("CELERY_TASK_ALWAYS_EAGER", "CELERY_RESULT_BACKEND", "DATABASE_URL_FILE", "SECRET_KEY_FILE"):
        env.pop(name, None)
    if data_root is not None:
        env["DATA_ROOT"] = str(data_root)
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


class Process:
    """One real process in its own process group, logging to a file, restartable.

    `ready(process)` says when a fresh start is usable; it sees only output of the current run
    through `process.output()`.
    """

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        log_path: Path,
        ready: Callable[["Process"], bool] | None = None,
        start_timeout: float = START_TIMEOUT,
    ):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = Path(log_path)
        self.ready = ready
        self.start_timeout = start_timeout
        self.popen: subprocess.Popen | None = None
        self.url: str | None = None  # set for servers
        self._offset = 0

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self, whole: bool = False) -> str:
        """Log text of the current run (or of every run when whole=True)."""
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as handle:
            handle.seek(0 if whole else self._offset)
            return handle.read().decode("utf-8", "replace")

    def tail(self, lines: int = TAIL_LINES) -> str:
        """The last lines of the log, for failure messages."""
        text = "\n".join(self.output(whole=True).splitlines()[-lines:])
        return f"--- last {lines} lines of {self.name} log {self.log_path} ---\n{text}"

    def start(self) -> "Process":
        """Start the process and wait until it is ready (or fail with its log tail)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        if self.ready is not None:
            self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        def usable():
            if not self.alive:
                raise ProcessExited(f"{self.name} exited with status {self.popen.returncode}")
            return self.ready(self)

        try:
            wait_for(usable, self.start_timeout, interval=0.25, what=f"{self.name} to be ready")
        except (TimeoutError, ProcessExited) as exc:
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {exc}\n{self.tail()}") from None

    def kill(self, sig: int = signal.SIGKILL, timeout: float = STOP_GRACE) -> int | None:
        """Send sig to the whole process group; for ending signals wait for exit. Returns the exit status."""
        if not self.alive:
            return self.popen.returncode if self.popen else None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
            try:
                return self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return None
        return None

    def stop(self) -> None:
        """Ask politely (SIGTERM), then SIGKILL the group; also reaps leftovers of the group."""
        if self.popen is None:
            return
        if self.alive and self.kill(signal.SIGTERM) is None:
            self.kill(signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def restart(self) -> "Process":
        """Stop (if running) and start again, waiting until ready."""
        self.stop()
        return self.start()

    def __enter__(self) -> "Process":
        if not self.alive:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        if exc_type is not None:
            print(self.tail(), file=sys.stderr)


def _log_dir(log_dir: str | Path | None) -> Path:
    return Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="lims-live-"))


def _says(text: str) -> Callable[[Process], bool]:
    return lambda process: text in process.output()


def gunicorn_argv(port: int, workers: int = 2) -> list[str]:
    """The web server command line (the compose file's `web` service runs the same)."""
    # Threads, timeouts and request limits come from gunicorn.conf.py, as in the container.
    return [str(BIN / "gunicorn"), "lims.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]


def celery_worker_argv(concurrency: int = 1, hostname: str | None = None, queues: str | None = None) -> list[str]:
    """The worker command line (the compose file's `worker` service runs the same; `analysis-worker` adds
    `-Q analysis`)."""
    argv = [str(BIN / "celery"), "-A", "lims", "worker", "--loglevel", "INFO", "--concurrency", str(concurrency)]
    if hostname:
        argv += ["--hostname", hostname]
    if queues:
        argv += ["-Q", queues]
    return argv


def celery_beat_argv(schedule_dir: str | Path) -> list[str]:
    """The scheduler command line (the compose file's `beat` service runs the same)."""
    schedule_dir = Path(schedule_dir)
    return [
        str(BIN / "celery"), "-A", "lims", "beat", "--loglevel", "INFO",
        "--schedule", str(schedule_dir / "celerybeat-schedule"),
    ]


@contextlib.contextmanager
def run_gunicorn(env: dict[str, str], port: int, workers: int = 2, log_dir=None) -> Iterator[Process]:
    """Serve lims.wsgi on 127.0.0.1:port; ready once /healthz answers. The process has `.url`."""
    url = f"http://127.0.0.1:{port}"

    def answers(_process: Process) -> bool:
        return http_get(f"{url}/healthz", timeout=5.0)[0] in (200, 503)

    process = Process("gunicorn", gunicorn_argv(port, workers), env, _log_dir(log_dir) / f"gunicorn-{port}.log", answers)
    process.url = url
    with process:
        yield process


@contextlib.contextmanager
def run_celery_worker(env: dict[str, str], concurrency: int = 1, hostname: str | None = None,
                      log_dir=None, queues: str | None = None) -> Iterator[Process]:
    """A Celery worker (`celery -A lims worker`, of `queues` when given); ready once it logs that it is ready."""
    log = _log_dir(log_dir) / f"worker-{os.getpid()}-{time.monotonic_ns()}.log"
    argv = celery_worker_argv(concurrency, hostname, queues)
    with Process("celery worker", argv, env, log, _says(" ready.")) as process:
        yield process


@contextlib.contextmanager
def run_celery_beat(env: dict[str, str], schedule_dir: str | Path, log_dir=None) -> Iterator[Process]:
    """The Celery scheduler (`celery -A lims beat`) keeping its schedule file in schedule_dir."""
    Path(schedule_dir).mkdir(parents=True, exist_ok=True)
    log = Path(log_dir or schedule_dir) / "beat.log"
    with Process("celery beat", celery_beat_argv(schedule_dir), env, log, _says("beat: Starting")) as process:
        yield process


class DroppingProxy:
    """A TCP proxy on 127.0.0.1 to `port` that cuts connections, as a flaky network would.

    It cuts up to `cuts` connections, each when the bytes sent towards the server pass `after`:
    counted over all connections by default, or on each connection alone with `per_connection`.
    It forwards the bytes up to `after` and closes both sides of that connection; later connections
    pass untouched. `dropped` counts the cuts and `url` is its address. Use it as a context manager.
    """

    def __init__(self, port: int, after: int, cuts: int = 1, per_connection: bool = False):
        self.port, self.after, self.cuts, self.per_connection = port, after, cuts, per_connection
        self.sent = self.dropped = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _cut(self, carried: int, size: int) -> int | None:
        """How much of `size` new bytes (after `carried` on this connection) to forward before cutting,
        or None to forward all."""
        with self._lock:
            before = carried if self.per_connection else self.sent
            self.sent += size
            if self.dropped >= self.cuts or before + size < self.after:
                return None
            self.dropped += 1
            return max(self.after - before, 0)

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        carried = 0
        try:
            while data := source.recv(65536):
                keep = self._cut(carried, len(data)) if upstream else None
                carried += len(data)
                target.sendall(data if keep is None else data[:keep])
                if keep is not None:
                    break
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.port))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def __enter__(self) -> "DroppingProxy":
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept()
        self._listener.close()
