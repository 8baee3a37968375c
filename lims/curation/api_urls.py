"""API routes for curation."""
from django.urls import path

from lims.curation import api

urlpatterns = [
    path("records/<int:pk>/history", api.RecordHistoryView.as_view(), name="api-record-history"),
]
