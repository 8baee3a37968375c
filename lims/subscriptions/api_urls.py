"""API routes for subscriptions."""
from rest_framework.routers import SimpleRouter

from lims.subscriptions import api

router = SimpleRouter()
router.register("subscriptions", api.SubscriptionViewSet, basename="api-subscription")
urlpatterns = router.urls
