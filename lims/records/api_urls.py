"""API routes for records."""
urlpatterns = []
