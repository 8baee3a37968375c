"""The LIMS Python client: `Client(url, token)` or `Client.from_env()`, then `client.records.search(...)`."""
from lims_client.client import Client
from lims_client.errors import (ChecksumMismatch, LimsError, NotFound, NotVisible, PermissionDenied, RunFailed,
                                ServerError, ValidationError)
from lims_client.methods import Method, Run
from lims_client.records import File, Record, Search

__all__ = ["ChecksumMismatch", "Client", "File", "LimsError", "Method", "NotFound", "NotVisible",
           "PermissionDenied", "Record", "Run", "RunFailed", "Search", "ServerError", "ValidationError"]
__version__ = "0.1.0"
