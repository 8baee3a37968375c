"""JSON shapes of saved searches and their previews."""
from rest_framework import serializers

from lims.records.serializers import RecordSummarySerializer
from lims.searches.models import SavedSearch
from lims.searches.services import QueryError, check_query


class SavedSearchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-search-detail")
    preview_url = serializers.HyperlinkedIdentityField(view_name="api-search-preview")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "created", "url", "preview_url"]
        read_only_fields = ["created"]

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("A saved search needs a name.")
        owner = self.context["request"].user
        taken = SavedSearch.objects.filter(owner=owner, name=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("You already have a saved search of this name.")
        return value

    def validate_query(self, value: str) -> str:
        try:
            return check_query(value)
        except QueryError as exc:
            raise serializers.ValidationError(f"Invalid query: {exc}")


class PreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Records the search matches now (that you may see).")
    recent = serializers.IntegerField(help_text="Of those, records of the last `days` days.")
    days = serializers.IntegerField()
    records = RecordSummarySerializer(many=True, help_text="The newest matches.")
