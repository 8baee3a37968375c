"""Browser routes of search beside the records pages (the list itself is `records:list`)."""
from django.urls import path

from lims.search import views

app_name = "search"
urlpatterns = [
    path("export.csv", views.record_export, name="export"),
]
