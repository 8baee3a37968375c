"""API routes of this app: /api/v1/instruments/."""
from rest_framework.routers import SimpleRouter

from lims.instruments.api import InstrumentViewSet

router = SimpleRouter()
router.register("instruments", InstrumentViewSet, basename="instrument")
urlpatterns = router.urls
