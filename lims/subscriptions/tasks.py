"""Celery entry points for subscriptions: perform a delivery, retry pending ones (beat), backfill."""
from celery import shared_task

from lims.subscriptions import delivery, triggers
from lims.subscriptions.models import Subscription


@shared_task(acks_late=True)
def perform_delivery(delivery_id: int) -> str:
    return delivery.perform(delivery_id)


@shared_task
def retry_deliveries() -> int:
    return delivery.retry_pending()


@shared_task(acks_late=True)
def backfill_subscription(subscription_id: int) -> int:
    subscription = Subscription.objects.filter(pk=subscription_id, active=True).select_related("search", "owner").first()
    return triggers.backfill(subscription) if subscription else 0
