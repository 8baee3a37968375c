"""JSON shapes of sessions, their inputs (start, heartbeat, note, end) and their files."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lims.instruments.models import Instrument
from lims.sessions.models import DataFile, Session


class FileCountsSerializer(serializers.Serializer):
    uploaded = serializers.IntegerField()
    extracted = serializers.IntegerField()
    failed = serializers.IntegerField()


class SessionSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="pid", read_only=True)
    files = serializers.SerializerMethodField()
    record_url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id", "instrument", "user", "sample", "sample_id", "project", "purpose", "notes",
            "start", "end", "last_heartbeat", "state", "error", "files", "record_url",
        ]
        read_only_fields = fields

    @extend_schema_field(FileCountsSerializer)
    def get_files(self, session) -> dict:
        return session.file_counts()

    def get_record_url(self, session) -> str:
        return session.record_url


class SessionStartSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="Made by the client; sending it again returns the same session.")
    instrument = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=64,
        help_text="PID; defaults to the instrument of the token.",
    )
    user = serializers.CharField(max_length=150, help_text="Experimenter; linked to the account of that username.")
    sample = serializers.CharField(required=False, allow_blank=True, max_length=255)
    sample_id = serializers.CharField(required=False, allow_blank=True, max_length=255)
    project = serializers.CharField(required=False, allow_blank=True, max_length=255)
    purpose = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    start = serializers.DateTimeField(required=False, help_text="Default: now.")

    def validate_user(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("The experimenter's name is empty.")
        return value.strip()

    def validate_instrument(self, value: str | None) -> Instrument | None:
        if not value:
            return None
        instrument = Instrument.objects.filter(pid=value, active=True).first()
        if instrument is None:
            raise serializers.ValidationError(f"Unknown instrument {value!r}.")
        return instrument


class HeartbeatSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, help_text="Default: now.")


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)


class EndSerializer(serializers.Serializer):
    end = serializers.DateTimeField(required=False, help_text="Default: now.")


class NoteEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    text = serializers.CharField()


class DataFileSerializer(serializers.ModelSerializer):
    path = serializers.CharField(source="relative_path")
    status = serializers.SerializerMethodField()

    class Meta:
        model = DataFile
        fields = [
            "path", "version", "size", "sha256", "mtime", "status", "format", "extractor",
            "signal_type", "acquired", "warnings", "error",
        ]
        read_only_fields = fields

    def get_status(self, datafile) -> str:
        """uploaded (stored, not read yet), extracted (read) or failed (read with an error)."""
        if datafile.error:
            return "failed"
        return "extracted" if datafile.extracted else "uploaded"
