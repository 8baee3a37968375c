"""API routes of this app: /api/v1/sessions/ and its actions."""
from rest_framework.routers import SimpleRouter

from lims.sessions.api import SessionViewSet

router = SimpleRouter()
router.register("sessions", SessionViewSet, basename="session")
urlpatterns = router.urls
