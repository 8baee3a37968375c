"""Real servers that tests start to receive what the product sends: a webhook receiver and an SMTP server."""
import json
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that verifies each request with standardwebhooks and answers `status`.

    `received` lists (status answered, webhook-id, payload) of verified requests; `refused` counts
    requests whose signature did not verify.
    """

    def __init__(self, secret: str = "", status: int = 200):
        self.secret = secret
        self.status = status
        self.received: list[tuple[int, str, dict]] = []
        self.refused = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                except WebhookVerificationError:
                    with receiver.lock:
                        receiver.refused += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver.lock:
                    status = receiver.status
                    receiver.received.append((status, self.headers["webhook-id"], payload))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(json.dumps({"ok": status < 300}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message; `url` is its EMAIL_URL."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        from tests.live import free_port

        self.messages = []
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                server.messages.append(message_from_bytes(envelope.content, policy=default_policy))
                return "250 Message accepted"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.url = f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
