"""Browser pages for records."""
urlpatterns = []
