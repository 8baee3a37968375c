"""JSON shapes of subscriptions and their deliveries."""
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from lims.searches.models import SavedSearch
from lims.subscriptions.models import Delivery, Subscription
from lims.subscriptions.services import check_subscription
from lims.webhooks.models import Endpoint

MAX_PARAMS_LENGTH = 10_000


class _Owned(serializers.PrimaryKeyRelatedField):
    """An id among the caller's own objects (anything else reads as "does not exist")."""

    def get_queryset(self):
        return super().get_queryset().filter(owner=self.context["request"].user)


class SubscriptionSerializer(serializers.ModelSerializer):
    search = _Owned(queryset=SavedSearch.objects.all())
    endpoint = _Owned(queryset=Endpoint.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Subscription
        fields = ["id", "search", "event", "action", "endpoint", "params", "max_generation", "active", "created"]
        read_only_fields = ["created"]

    def validate_params(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be an object.")
        if len(json.dumps(value)) > MAX_PARAMS_LENGTH:
            raise serializers.ValidationError(f"must be at most {MAX_PARAMS_LENGTH} characters as JSON.")
        return value

    def validate(self, attrs):
        merged = {field: getattr(self.instance, field) for field in ("search", "action", "endpoint", "params")} \
            if self.instance else {}
        merged.update(attrs)
        try:
            check_subscription(self.context["request"].user, merged.get("search"), merged.get("action", ""),
                               merged.get("endpoint"), merged.get("params"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict)
        return attrs


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "subject", "record", "state", "attempts", "detail", "created", "done"]


class BackfillSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Past matches the subscription would act on (some may be done).")
    queued = serializers.BooleanField(help_text="True when the backfill was started (POST).")
