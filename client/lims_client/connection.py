"""The HTTP layer: one httpx client with the token, JSON calls, paging, streaming, and errors by status."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import httpx

from lims_client.errors import LimsError, NotFound, NotVisible, PermissionDenied, ServerError, ValidationError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "lims-client/0.1"


def _error(response: httpx.Response, hidden: bool) -> LimsError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    detail = str(detail or response.reason_phrase or "error")[:500]
    code = body.get("code", "") if isinstance(body, dict) else ""
    status = response.status_code
    where = f"{response.request.method} {response.request.url.path}"
    message = f"{status} {where}: {detail}"
    if status == 400:
        fields = body.get("errors") if isinstance(body, dict) and isinstance(body.get("errors"), dict) else {}
        return ValidationError(message, fields, status, code)
    if status in (401, 403):
        return PermissionDenied(message, status, code)
    if status == 404:
        return (NotVisible if hidden else NotFound)(message, status, code)
    if status >= 500:
        return ServerError(message, status, code)
    return LimsError(message, status, code)


class Connection:
    """Calls to one LIMS with one token. `hidden=True` marks calls whose 404 may mean "not yours".

    `scheme` is the token's kind: `Token` for a person, `Runner` for a runner on another host.
    """

    def __init__(self, url: str, token: str | None = None, timeout=TIMEOUT, transport=None, scheme: str = "Token"):
        self.url = url.rstrip("/")
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"{scheme} {token}"
        self.client = httpx.Client(base_url=self.url, headers=headers, timeout=timeout, follow_redirects=False,
                                   transport=transport)
        self.bytes_downloaded = 0

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, hidden: bool = False, **kwargs) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ServerError(f"{method} {path}: {type(exc).__name__}: the server could not be reached") from None
        if response.status_code >= 400:
            raise _error(response, hidden)
        return response

    def get(self, path: str, hidden: bool = False, **params) -> Any:
        return self.request("GET", path, hidden, params={k: v for k, v in params.items() if v is not None}).json()

    def post(self, path: str, body: dict | None = None) -> Any:
        response = self.request("POST", path, json=body or {})
        return response.json() if response.content else None

    def patch(self, path: str, body: dict) -> Any:
        return self.request("PATCH", path, json=body).json()

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def pages(self, path: str, page_size: int = 100, hidden: bool = False, **params) -> Iterator[dict]:
        """Every item of a paginated list, fetching one page at a time as the caller goes on."""
        page = 1
        while True:
            body = self.get(path, hidden, page=page, page_size=page_size, **params)
            yield from body["results"]
            if not body.get("next"):
                return
            page += 1

    @contextmanager
    def stream(self, path: str, hidden: bool = True) -> Iterator[httpx.Response]:
        """A streamed GET, closed at the end of the block; raises the typed error for an error status."""
        request = self.client.build_request("GET", path)
        try:
            response = self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise ServerError(f"GET {path}: {type(exc).__name__}: the server could not be reached") from None
        try:
            if response.status_code >= 400:
                response.read()
                raise _error(response, hidden)
            yield response
        finally:
            response.close()
