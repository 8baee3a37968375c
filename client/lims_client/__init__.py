"""The LIMS Python client: `Client(url, token)` or `Client.from_env()`, then `client.records.search(...)`."""
from lims_client.client import Client
from lims_client.errors import (ChecksumMismatch, LimsError, NotFound, NotVisible, PermissionDenied, ServerError,
                                ValidationError)
from lims_client.records import File, Record, Search

__all__ = ["ChecksumMismatch", "Client", "File", "LimsError", "NotFound", "NotVisible", "PermissionDenied", "Record",
           "Search", "ServerError", "ValidationError"]
__version__ = "0.1.0"
