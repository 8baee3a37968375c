"""Which subscriptions an event triggers: same event, a record the owner may see, the saved query matching.

Called by the event outbox (`lims.events.outbox.HANDLERS`) for every event, and by `backfill` for
past matches. Derived records (generation 1 and more) trigger only subscriptions that allow that
depth, so a subscription whose action makes records cannot feed itself.
"""
import logging

from lims.records.models import Record
from lims.records.permissions import visible_records
from lims.search.matching import Matcher
from lims.search.query import QueryError
from lims.search.service import matching_record_ids
from lims.subscriptions.delivery import deliver
from lims.subscriptions.models import Subscription

log = logging.getLogger(__name__)


def _matches(matcher: Matcher, subscription: Subscription) -> bool:
    try:
        return matcher(subscription.search.query)
    except QueryError:
        log.warning("subscription %s has a query that no longer reads", subscription.pk)
        return False


def on_event(event) -> int:
    """Deliver `event` to every subscription it triggers; returns how many new deliveries were made."""
    record = event.record
    if record is None:
        return 0
    subscriptions = (Subscription.objects.filter(event=event.type, active=True, max_generation__gte=event.generation)
                     .select_related("search", "owner"))
    matcher = None
    may_see = {}  # owner id -> may the owner see the record
    made = 0
    for subscription in subscriptions:
        owner = subscription.owner
        if owner.pk not in may_see:
            may_see[owner.pk] = owner.is_active and visible_records(owner).filter(pk=record.pk).exists()
        if not may_see[owner.pk]:
            continue
        matcher = matcher or Matcher(record)
        if _matches(matcher, subscription):
            made += deliver(subscription, event.subject, record=record, event=event) is not None
    return made


def backfill_ids(subscription: Subscription) -> list[int]:
    """Records the subscription would have acted on so far: visible to its owner, matching now, and of a
    generation it allows."""
    ids = matching_record_ids(subscription.owner, subscription.search.query)
    allowed = Record.objects.filter(pk__in=ids, generation__lte=subscription.max_generation)
    return sorted(allowed.values_list("pk", flat=True))


def backfill(subscription: Subscription) -> int:
    """Apply the subscription to past matches it has not acted on; returns how many deliveries were made."""
    made = 0
    for record in Record.objects.filter(pk__in=backfill_ids(subscription)).defer("xml_text").iterator():
        made += deliver(subscription, f"record:{record.pk}", record=record) is not None
    return made
