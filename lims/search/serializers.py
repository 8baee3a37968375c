"""JSON shapes of a search answer: results, facet counts, numeric buckets, suggestions, completions."""
from rest_framework import serializers

from lims.records.serializers import RecordSummarySerializer


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    instrument = FacetValueSerializer(many=True)
    experimenter = FacetValueSerializer(many=True)
    project = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)
    month = FacetValueSerializer(many=True)
    format = FacetValueSerializer(many=True)
    mode = FacetValueSerializer(many=True)


class BucketSerializer(serializers.Serializer):
    label = serializers.CharField()
    query = serializers.CharField(help_text="The range to add to q for this bucket, e.g. `voltage 150..250kV`.")
    count = serializers.IntegerField()


class NumericFacetsSerializer(serializers.Serializer):
    voltage = BucketSerializer(many=True)
    magnification = BucketSerializer(many=True)
    pixel_size = BucketSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    message = serializers.CharField()
    query = serializers.CharField()
    count = serializers.IntegerField()


class RecordSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RecordSummarySerializer(many=True)
    facets = FacetsSerializer()
    numeric_facets = NumericFacetsSerializer()
    suggestions = SuggestionSerializer(many=True, help_text="When nothing matched: close values, a looser query.")


class CompletionSerializer(serializers.Serializer):
    label = serializers.CharField()
    insert = serializers.CharField(help_text="The whole query with the completion in place.")
    kind = serializers.CharField(help_text="field, metadata, or the field a value belongs to (instrument, user ...).")
    count = serializers.IntegerField(allow_null=True)
