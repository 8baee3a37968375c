"""REST API for subscriptions: one's own, their deliveries, and Backfill (GET: the count, POST: do it)."""
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lims.core.pagination import Pagination
from lims.searches.permissions import IsPerson
from lims.subscriptions import triggers
from lims.subscriptions.models import Subscription
from lims.subscriptions.serializers import BackfillSerializer, DeliverySerializer, SubscriptionSerializer
from lims.subscriptions.tasks import backfill_subscription


class SubscriptionViewSet(viewsets.ModelViewSet):
    """The caller's subscriptions (another person's answer 404)."""

    permission_classes = [IsPerson]
    serializer_class = SubscriptionSerializer
    queryset = Subscription.objects.all()  # narrowed to the caller's own in get_queryset

    def get_queryset(self):
        return Subscription.objects.filter(owner=self.request.user).select_related("search")

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """What the subscription did, newest first: one row per record (or edit, or run)."""
        subscription = self.get_object()
        paginator = Pagination()
        page = paginator.paginate_queryset(subscription.deliveries.all(), request, view=self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: BackfillSerializer, 202: BackfillSerializer})
    @action(detail=True, methods=["get", "post"])
    def backfill(self, request, pk=None):
        """GET: how many past records match. POST: act on those not acted on yet (in the background)."""
        subscription = self.get_object()
        count = len(triggers.backfill_ids(subscription))
        if request.method == "GET":
            return Response({"count": count, "queued": False})
        backfill_subscription.delay(subscription.pk)
        return Response({"count": count, "queued": True}, status=status.HTTP_202_ACCEPTED)
