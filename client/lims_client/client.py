"""`Client`: the entry point, holding one connection and the collections (records, searches, subscriptions,
methods, runs)."""
from __future__ import annotations

from lims_client import config
from lims_client.connection import Connection
from lims_client.methods import Methods, Runs
from lims_client.records import Records
from lims_client.searches import Searches, Subscriptions


class Client:
    """A connection to one LIMS: `Client("https://lims.example.org", token)` or `Client.from_env()`."""

    def __init__(self, url: str, token: str | None = None, **options):
        self.url = url.rstrip("/")
        self.connection = Connection(self.url, token, **options)
        self.records = Records(self.connection)
        self.searches = Searches(self.connection)
        self.subscriptions = Subscriptions(self.connection)
        self.methods = Methods(self.connection)
        self.runs = Runs(self.connection)

    @classmethod
    def from_env(cls, profile: str | None = None, **options) -> "Client":
        """From LIMS_URL and LIMS_TOKEN, or else from a profile saved by `lims-client login`."""
        url, token = config.find(profile)
        return cls(url, token, **options)

    def __repr__(self) -> str:
        return f"<Client {self.url}>"  # never the token

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
