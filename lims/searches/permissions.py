"""Saved searches and what hangs from them belong to people: instrument tokens are refused."""
from rest_framework.permissions import BasePermission

from lims.core.authentication import InstrumentAgent


class IsPerson(BasePermission):
    """A logged-in person (a personal token or a browser session), not an instrument."""

    message = "Only people have saved searches; instrument tokens cannot use them."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not isinstance(user, InstrumentAgent))
