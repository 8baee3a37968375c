"""A kept-alive connection the server closed while the logger was busy is replaced, not reported as offline."""
import http.server
import threading

import pytest

from logger.api import Api, Offline


class _OneAnswerPerConnection(http.server.BaseHTTPRequestHandler):
    """Answers one request per connection, then closes it without saying so (as an idle timeout does)."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"state": "ACTIVE"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True  # no "Connection: close": the client believes it may reuse it

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OneAnswerPerConnection)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_heartbeat_on_a_connection_the_server_closed_is_sent_again_on_a_fresh_one(server):
    api = Api(server, "token", timeout=5)
    for _ in range(3):
        assert api.heartbeat("s1") == {"state": "ACTIVE"}
    api.close()


def test_a_server_that_is_down_is_still_offline(server):
    from tests.logger.conftest import closed_port

    api = Api(f"http://127.0.0.1:{closed_port()}", "token", timeout=5)
    with pytest.raises(Offline):
        api.heartbeat("s1")
