"""Saved searches and subscriptions: `client.searches` and `client.subscriptions`."""
from __future__ import annotations

from lims_client.connection import Connection
from lims_client.records import Record, Search


class SavedSearch:
    """A saved search: `id`, `name`, `query`; `records` searches it, `preview()` counts it."""

    def __init__(self, conn: Connection, data: dict):
        self._conn = conn
        self.data = data
        self.id, self.name, self.query = data["id"], data["name"], data["query"]

    def __repr__(self) -> str:
        return f"<SavedSearch {self.id} {self.name!r}: {self.query!r}>"

    @property
    def records(self) -> Search:
        return Search(self._conn, self.query)

    def preview(self, days: int = 7) -> dict:
        """{"count", "recent" (of the last `days` days), "days", "records": [Record, ...] (the newest)}."""
        body = self._conn.get(f"/api/v1/searches/{self.id}/preview/", days=days)
        body["records"] = [Record(self._conn, item) for item in body["records"]]
        return body


class Searches:
    """`client.searches`: your saved searches."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def __iter__(self):
        return (SavedSearch(self._conn, item) for item in self._conn.pages("/api/v1/searches/"))

    def list(self) -> list[SavedSearch]:
        return list(self)

    def get(self, search_id: int) -> SavedSearch:
        return SavedSearch(self._conn, self._conn.get(f"/api/v1/searches/{int(search_id)}/"))

    def create(self, name: str, query: str) -> SavedSearch:
        return SavedSearch(self._conn, self._conn.post("/api/v1/searches/", {"name": name, "query": query}))

    def delete(self, search_id: int) -> None:
        self._conn.delete(f"/api/v1/searches/{int(search_id)}/")


class Subscriptions:
    """`client.subscriptions`: a saved search, an event and an action."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def __iter__(self):
        return iter(self._conn.pages("/api/v1/subscriptions/"))

    def list(self) -> list[dict]:
        return list(self)

    def get(self, subscription_id: int) -> dict:
        return self._conn.get(f"/api/v1/subscriptions/{int(subscription_id)}/")

    def create(self, search, action: str, event: str = "record.completed", endpoint: int | None = None,
               params: dict | None = None, max_generation: int = 0) -> dict:
        """Subscribe: `search` is a SavedSearch or its id; `action` "webhook" (with `endpoint`), "email", or "run"
        (with `params={"method": slug, "params": {...}}`)."""
        body = {"search": getattr(search, "id", search), "action": action, "event": event, "endpoint": endpoint,
                "params": params or {}, "max_generation": max_generation}
        return self._conn.post("/api/v1/subscriptions/", body)

    def delete(self, subscription_id: int) -> None:
        self._conn.delete(f"/api/v1/subscriptions/{int(subscription_id)}/")

    def deliveries(self, subscription_id: int):
        return self._conn.pages(f"/api/v1/subscriptions/{int(subscription_id)}/deliveries/")

    def backfill_count(self, subscription_id: int) -> int:
        return self._conn.get(f"/api/v1/subscriptions/{int(subscription_id)}/backfill/")["count"]

    def backfill(self, subscription_id: int) -> int:
        """Act on past matches not acted on yet (in the background); returns how many records match."""
        return self._conn.post(f"/api/v1/subscriptions/{int(subscription_id)}/backfill/")["count"]
