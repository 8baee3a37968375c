"""JSON shape of instruments in the API."""
from rest_framework import serializers

from lims.instruments.models import Instrument


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instrument
        fields = ["pid", "name", "location", "hostname", "share_path", "timezone"]
        read_only_fields = fields
