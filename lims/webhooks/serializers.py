"""JSON shapes of webhook endpoints (the secret only when one is made), messages and attempts."""
from rest_framework import serializers

from lims.webhooks.addresses import RefusedAddress, check_url
from lims.webhooks.models import Attempt, Endpoint, Message


def checked_url(value: str) -> str:
    try:
        check_url(value)
    except RefusedAddress as exc:
        raise serializers.ValidationError(str(exc))
    return value


class EndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "active", "failed_in_a_row", "disabled_reason", "created"]
        read_only_fields = ["active", "failed_in_a_row", "disabled_reason", "created"]

    def validate_url(self, value: str) -> str:
        return checked_url(value)


class NewEndpointSerializer(EndpointSerializer):
    """The answer to making an endpoint: the only time its signing secret is shown."""

    secret = serializers.CharField(read_only=True, help_text="Signing secret (whsec_...); shown only now.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "status_code", "succeeded", "error", "response"]


class MessageSerializer(serializers.ModelSerializer):
    log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "endpoint", "message_id", "event_type", "payload", "state", "attempts", "next_attempt",
                  "last_status_code", "created", "log"]
