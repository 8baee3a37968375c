"""JSON shapes of methods and runs in the API."""
from rest_framework import serializers

from lims.analysis.models import Method, Run


class MethodSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Method
        fields = ["slug", "version", "kind", "title", "description", "accepts", "queue", "url"]

    def get_url(self, method) -> str:
        return f"/api/v1/methods/{method.slug}/"


class MethodDetailSerializer(MethodSerializer):
    versions = serializers.SerializerMethodField()

    class Meta(MethodSerializer.Meta):
        fields = [*MethodSerializer.Meta.fields, "param_schema", "versions"]

    def get_versions(self, method) -> list[str]:
        return list(Method.objects.filter(slug=method.slug).order_by("-created").values_list("version", flat=True))


class RunSerializer(serializers.ModelSerializer):
    method = serializers.CharField(source="method.slug")
    version = serializers.CharField(source="method.version")
    record = serializers.IntegerField(source="record_id")
    requested_by = serializers.SerializerMethodField()
    output_record = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = ["id", "method", "version", "record", "inputs", "params", "state", "progress", "message", "error",
                  "summary", "environment", "requested_by", "created", "queued", "started", "finished", "heartbeat",
                  "output_record", "url"]

    def get_requested_by(self, run) -> str | None:
        return run.requested_by.get_username() if run.requested_by else None

    def get_output_record(self, run) -> int | None:
        record = run.output_record
        return record.pk if record else None

    def get_url(self, run) -> str:
        return f"/api/v1/runs/{run.pk}/"


class RunRequestSerializer(serializers.Serializer):
    """What POST /api/v1/runs/ takes (checked by `services.submit`, which names each bad field)."""

    method = serializers.CharField()
    version = serializers.CharField(required=False)
    record = serializers.IntegerField()
    files = serializers.ListField(child=serializers.IntegerField(), required=False)
    params = serializers.DictField(required=False)
    recompute = serializers.BooleanField(required=False, help_text="Compute again even if an identical result exists")
