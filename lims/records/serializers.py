"""Flat JSON shapes of records and their files for the API (and record.json).

Links are absolute (from the request, else SITE_URL) and times carry the instrument's UTC offset.
"""
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from lims.instruments import times
from lims.sessions.models import DataFile


def absolute(context: dict, path: str) -> str:
    """`path` as a full URL: the address the caller used, else the site's public address."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


@extend_schema_field(OpenApiTypes.DATETIME)
class InstrumentTimeField(serializers.Field):
    """A stored time as ISO 8601 with the UTC offset of the instrument's zone at that moment."""

    def __init__(self, zone_source: str = "session.instrument.timezone", **kwargs):
        self.zone_source = zone_source.split(".")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        zone = self.context.get("zone")
        if zone is None:
            zone = get_attribute(instance, self.zone_source)
        return times.iso(super().get_attribute(instance), zone)

    def to_representation(self, value):
        return value


class RecordSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    instrument = serializers.CharField(source="session.instrument.pid")
    experimenter = serializers.CharField(source="session.user")
    project = serializers.CharField(source="session.project")
    sample = serializers.CharField(source="session.sample")
    start = InstrumentTimeField(source="session.start")
    end = InstrumentTimeField(source="session.end")
    file_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    activity_count = serializers.IntegerField()
    formats = serializers.ListField(child=serializers.CharField())
    modes = serializers.ListField(child=serializers.CharField())

    def get_url(self, record) -> str:
        return absolute(self.context, record.get_absolute_url())


class RecordFileSerializer(serializers.ModelSerializer):
    """One file with its metadata and absolute links; the context names the record (`record_id`)."""

    name = serializers.CharField(source="relative_path")
    acquired = InstrumentTimeField()
    has_preview = serializers.SerializerMethodField()
    metadata = serializers.JSONField()
    warnings = serializers.JSONField()
    download_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    metadata_url = serializers.SerializerMethodField()
    original_metadata_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = DataFile
        fields = ["id", "name", "version", "size", "sha256", "format", "signal_type", "acquired", "activity",
                  "metadata", "warnings", "error", "has_preview", "download_url", "preview_url", "metadata_url",
                  "original_metadata_url", "page_url"]

    def _page(self, data_file, suffix: str = "") -> str:
        return absolute(self.context, f"/records/{self.context['record_id']}/files/{data_file.pk}/{suffix}")

    def _api(self, data_file, suffix: str = "") -> str:
        return absolute(self.context, f"/api/v1/records/{self.context['record_id']}/files/{data_file.pk}/{suffix}")

    def get_has_preview(self, data_file) -> bool:
        return bool(data_file.preview)

    def get_download_url(self, data_file) -> str:
        return self._page(data_file)

    def get_preview_url(self, data_file) -> str | None:
        return self._page(data_file, "preview.png") if data_file.preview else None

    def get_metadata_url(self, data_file) -> str:
        return self._api(data_file)

    def get_original_metadata_url(self, data_file) -> str:
        return self._api(data_file, "original-metadata")

    def get_page_url(self, data_file) -> str:
        return self._page(data_file, "view/")


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
    description = serializers.SerializerMethodField()
    visibility = serializers.CharField(source="session.visibility")
    time_zone = serializers.CharField(source="session.instrument.timezone")
    schema_version = serializers.CharField()
    built = serializers.DateTimeField()
    activities = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    def get_description(self, record) -> str:
        return (record.data or {}).get("description", "")

    def get_activities(self, record) -> list[dict]:
        zone = record.session.instrument.timezone
        return [{**activity, "start": times.iso(activity.get("start"), zone), "end": times.iso(activity.get("end"), zone)}
                for activity in record.activities()]

    def get_files(self, record) -> list[dict]:
        files = DataFile.objects.filter(session_id=record.session_id).order_by("activity", "acquired", "relative_path")
        context = {**self.context, "record_id": record.pk, "zone": record.session.instrument.timezone}
        return RecordFileSerializer(files, many=True, context=context).data
