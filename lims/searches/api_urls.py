"""API routes for saved searches."""
from rest_framework.routers import SimpleRouter

from lims.searches import api

router = SimpleRouter()
router.register("searches", api.SavedSearchViewSet, basename="api-search")
urlpatterns = router.urls
