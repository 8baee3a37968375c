"""The LIMS REST API as the logger uses it: instruments, and session start, heartbeat, note, end."""
import http.client
import json
import socket
import ssl
from urllib.parse import quote, urlencode, urljoin, urlsplit

from . import __version__

API_PREFIX = "/api/v1/"
USER_AGENT = "lims-logger/" + __version__
NETWORK_ERRORS = (OSError, socket.timeout, http.client.HTTPException, ssl.SSLError)
# What a kept-alive connection closed by the server gives (BadStatusLine: an empty answer).
STALE_CONNECTION_ERRORS = (BrokenPipeError, ConnectionResetError, http.client.BadStatusLine)


class Offline(Exception):
    """The server cannot be reached (network down, server stopped, or it answers 5xx)."""


class ApiError(Exception):
    """The server refused the request (4xx); `detail` is its explanation, `code` its machine code."""

    def __init__(self, status, detail, code="", body=None):
        Exception.__init__(self, "{0} (HTTP {1})".format(detail, status))
        self.status = status
        self.detail = detail
        self.code = code
        self.body = body or {}


class Http(object):
    """One persistent HTTP(S) connection to the server, reopened after any failure."""

    def __init__(self, server, token, timeout=30.0):
        parts = urlsplit(server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("server must be an http:// or https:// address, not {0!r}".format(server))
        self.server = server.rstrip("/")
        self.scheme = parts.scheme
        self.netloc = parts.netloc
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._connection = None

    def path(self, relative):
        """Absolute request path of an API path such as 'sessions/' (or of a Location header)."""
        if relative.startswith(("http://", "https://")):
            parts = urlsplit(relative)
            return parts.path + ("?" + parts.query if parts.query else "")
        if relative.startswith("/"):
            return relative
        return self.prefix + API_PREFIX + relative

    def url(self, path):
        return urljoin(self.server + "/", path)

    def _connect(self):
        if self._connection is None:
            kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            self._connection = kind(self.netloc, timeout=self.timeout)
        return self._connection

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method, path, body=None, headers=None):
        """Send one request; (status, lower-cased headers, body bytes). Offline on network failure.

        A kept-alive connection the server has meanwhile closed (it does after a few idle seconds)
        fails on first use: the request is then sent once more on a fresh connection.
        """
        all_headers = {"Authorization": "Token " + self.token, "User-Agent": USER_AGENT}
        all_headers.update(headers or {})
        for attempt in (1, 2):
            reused = self._connection is not None
            try:
                connection = self._connect()
                connection.request(method, self.path(path), body=body, headers=all_headers)
                response = connection.getresponse()
                data = response.read()
                break
            except NETWORK_ERRORS as exc:
                self.close()
                if reused and attempt == 1 and isinstance(exc, STALE_CONNECTION_ERRORS):
                    continue
                raise Offline("cannot reach {0}: {1}".format(self.server, str(exc) or exc.__class__.__name__))
            except Exception:
                self.close()   # a body abandoned half-way leaves the connection unusable
                raise
        answer = dict((name.lower(), value) for name, value in response.getheaders())
        if answer.get("connection", "").lower() == "close":
            self.close()
        return response.status, answer, data


def _json(data):
    try:
        return json.loads(data.decode("utf-8")) if data else {}
    except ValueError:
        return {}


def error_from(status, data):
    """ApiError for a 4xx answer, Offline for a 5xx one."""
    body = _json(data)
    detail = body.get("detail") if isinstance(body, dict) else None
    if status >= 500:
        return Offline("the server answered HTTP {0}".format(status))
    if not detail:
        detail = data.decode("utf-8", "replace")[:200].strip() or "the server refused the request"
    return ApiError(status, detail, body.get("code", "") if isinstance(body, dict) else "", body)


class Api(object):
    """Calls of the LIMS API; every call raises Offline or ApiError instead of returning an error."""

    def __init__(self, server, token, timeout=30.0):
        self.http = Http(server, token, timeout)

    def call(self, method, path, payload=None, ok=(200, 201)):
        body = None
        headers = {"Accept": "application/json"}
        if payload is not None:
            body = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        status, _headers, data = self.http.request(method, path, body, headers)
        if status not in ok:
            raise error_from(status, data)
        return _json(data)

    def instruments(self, hostname):
        """Instruments registered for this hostname (case-insensitive), as dicts."""
        answer = self.call("GET", "instruments/?" + urlencode({"hostname": hostname}))
        if isinstance(answer, dict):
            answer = answer.get("results", [])
        return answer

    def start_session(self, fields):
        return self.call("POST", "sessions/", fields)

    def get_session(self, session_id):
        return self.call("GET", "sessions/{0}/".format(quote(session_id)))

    def heartbeat(self, session_id, at=None):
        return self.call("POST", "sessions/{0}/heartbeat/".format(quote(session_id)), {"at": at} if at else {})

    def note(self, session_id, text):
        return self.call("POST", "sessions/{0}/notes/".format(quote(session_id)), {"text": text})

    def end_session(self, session_id, end=None):
        return self.call("POST", "sessions/{0}/end/".format(quote(session_id)), {"end": end} if end else {})

    def close(self):
        self.http.close()
