"""Flat JSON shapes of records and their files for the API."""
from rest_framework import serializers

from lims.sessions.models import DataFile


class RecordSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    instrument = serializers.CharField(source="session.instrument.pid")
    experimenter = serializers.CharField(source="session.user")
    project = serializers.CharField(source="session.project")
    sample = serializers.CharField(source="session.sample")
    start = serializers.DateTimeField(source="session.start")
    end = serializers.DateTimeField(source="session.end", allow_null=True)
    file_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    activity_count = serializers.IntegerField()
    formats = serializers.ListField(child=serializers.CharField())
    modes = serializers.ListField(child=serializers.CharField())

    def get_url(self, record) -> str:
        return record.get_absolute_url()


class RecordFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="relative_path")
    has_preview = serializers.SerializerMethodField()
    metadata = serializers.JSONField()
    warnings = serializers.JSONField()

    class Meta:
        model = DataFile
        fields = ["id", "name", "version", "size", "sha256", "format", "signal_type", "acquired", "activity",
                  "metadata", "warnings", "error", "has_preview"]

    def get_has_preview(self, data_file) -> bool:
        return bool(data_file.preview)


class ActivitySerializer(serializers.Serializer):
    index = serializers.IntegerField()
    start = serializers.CharField(allow_null=True, required=False)
    end = serializers.CharField(allow_null=True, required=False)
    mode = serializers.CharField(allow_blank=True, required=False)
    setup = serializers.JSONField(required=False)
    notes = serializers.CharField(allow_blank=True, required=False)
    file_count = serializers.IntegerField(required=False)


class RecordDetailSerializer(RecordSummarySerializer):
    session = serializers.UUIDField(source="session.pk")
    sample_id = serializers.CharField(source="session.sample_id")
    purpose = serializers.CharField(source="session.purpose")
    notes = serializers.CharField(source="session.notes")
    visibility = serializers.CharField(source="session.visibility")
    schema_version = serializers.CharField()
    built = serializers.DateTimeField()
    activities = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_activities(self, record) -> list[dict]:
        return (record.data or {}).get("activities", [])

    def get_files(self, record) -> list[dict]:
        files = DataFile.objects.filter(session_id=record.session_id).order_by("activity", "acquired", "relative_path")
        return RecordFileSerializer(files, many=True).data
