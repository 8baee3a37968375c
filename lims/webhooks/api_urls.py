"""API routes for webhooks."""
from rest_framework.routers import SimpleRouter

from lims.webhooks import api

router = SimpleRouter()
router.register("webhooks", api.EndpointViewSet, basename="api-webhook")
router.register("webhook-messages", api.MessageViewSet, basename="api-webhook-message")
urlpatterns = router.urls
