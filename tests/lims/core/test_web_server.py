"""The web server as deployed (`gunicorn lims.wsgi`, settings from gunicorn.conf.py): slow clients do not starve it, a
database restart costs no request, and API failures are answered in the API's JSON error format."""
import json
import socket
import threading

import pytest
from django.db import connection

from tests.live import drop_connections, free_port, http_get, http_json, run_gunicorn, server_env

pytestmark = pytest.mark.live
SLOW_CLIENTS = 10


class SlowClients:
    """Connections that send a request one byte a second and never finish it (a slowloris)."""

    def __init__(self, url: str, count: int):
        host, port = url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.count = count
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._trickle, daemon=True) for _ in range(count)]
        self.sending = threading.Semaphore(0)

    def _trickle(self):
        with socket.create_connection(self.address) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            self.sending.release()
            while not self.stopping.wait(1.0):
                try:
                    sock.sendall(b"X")
                except OSError:
                    return

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        for _ in self.threads:
            assert self.sending.acquire(timeout=30)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=5)


def test_slow_clients_do_not_hold_every_thread(transactional_db, tmp_path):
    env = server_env(connection.settings_dict, data_root=tmp_path / "data")
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server, SlowClients(server.url, SLOW_CLIENTS):
        # Each slow client is being read by then; an ordinary request still gets its answer.
        answers = [http_get(f"{server.url}/healthz", timeout=10)[0] for _ in range(5)]
    assert answers == [200] * 5


def test_a_database_restart_costs_no_request(transactional_db, cast, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("drops connections with PostgreSQL's pg_terminate_backend")
    # Connections kept between requests, as in production.
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", DATABASE_CONN_MAX_AGE=600)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        url = f"{server.url}/api/v1/instruments/"
        before = [http_json(url, cast.tokens["alice"])[0] for _ in range(40)]  # every thread holds a connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            keep = cursor.fetchone()[0]
        assert drop_connections(connection.settings_dict, keep) > 0
        after = [http_json(url, cast.tokens["alice"])[0] for _ in range(40)]
    assert before == [200] * 40
    assert after == [200] * 40


def test_an_api_failure_is_json_even_when_the_database_is_away(transactional_db, tmp_path):
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/lims"
    env = server_env(connection.settings_dict, data_root=tmp_path / "data", DATABASE_URL=closed)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as server:
        status, body = http_json(f"{server.url}/api/v1/records/", "some-token")
        missing = http_get(f"{server.url}/api/v1/nothing/here")
    assert status == 503
    assert body["code"] == "unavailable"
    assert missing[0] == 404 and json.loads(missing[1])["code"] == "not_found"
