"""REST API for webhooks: one's endpoints (the secret shown once), their message log, Redeliver, Enable."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lims.searches.permissions import IsPerson
from lims.webhooks import sending
from lims.webhooks.models import Endpoint, Message
from lims.webhooks.serializers import EndpointSerializer, MessageSerializer, NewEndpointSerializer


class EndpointViewSet(viewsets.ModelViewSet):
    """The caller's webhook endpoints (another person's answer 404)."""

    permission_classes = [IsPerson]
    queryset = Endpoint.objects.all()  # narrowed to the caller's own in get_queryset

    def get_queryset(self):
        return Endpoint.objects.filter(owner=self.request.user)

    def get_serializer_class(self):
        return NewEndpointSerializer if self.action == "create" else EndpointSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(request=None, responses={200: EndpointSerializer})
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        """Turn a disabled endpoint on again; messages still PENDING go out when due."""
        endpoint = self.get_object()
        sending.enable(endpoint)
        endpoint.refresh_from_db()
        return Response(EndpointSerializer(endpoint).data)


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Messages to the caller's endpoints with every attempt (status and response code); ?endpoint=ID."""

    permission_classes = [IsPerson]
    serializer_class = MessageSerializer
    queryset = Message.objects.all()  # narrowed to the caller's own in get_queryset

    def get_queryset(self):
        messages = Message.objects.filter(endpoint__owner=self.request.user).prefetch_related("log")
        endpoint = self.request.query_params.get("endpoint")
        return messages.filter(endpoint_id=endpoint) if endpoint and endpoint.isdigit() else messages

    @extend_schema(parameters=[OpenApiParameter("endpoint", int, description="Only messages to this endpoint.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={202: MessageSerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        """Send the message again now, with a fresh retry schedule (same webhook-id, so receivers can dedupe)."""
        message = self.get_object()
        sending.redeliver(message)
        message.refresh_from_db()
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
