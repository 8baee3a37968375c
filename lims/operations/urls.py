"""Pages for the facility's staff under /manage/."""
from django.urls import path

from lims.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sessions/<uuid:session_id>/rebuild", views.rebuild, name="rebuild"),
]
