"""Checking a subscription before it is saved: the owner's own search and endpoint, an action that can work."""
from django.core.exceptions import ValidationError

from lims.subscriptions.actions import ACTIONS


def check_subscription(owner, search, action: str, endpoint=None, params: dict | None = None) -> None:
    """Raise ValidationError (field -> message) unless `owner` may subscribe so."""
    if search is None or search.owner_id != owner.pk:
        raise ValidationError({"search": "Choose one of your saved searches."})
    if action not in ACTIONS:
        raise ValidationError({"action": f"must be one of {', '.join(ACTIONS)}."})
    ACTIONS[action].check(owner, endpoint, params or {})
