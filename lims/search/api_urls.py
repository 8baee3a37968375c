"""API routes for search."""
from django.urls import path

from lims.search import api

urlpatterns = [
    path("records/", api.RecordListView.as_view(), name="api-record-list"),
    path("records/export", api.RecordExportView.as_view(), name="api-record-export"),
    path("search/complete", api.CompletionView.as_view(), name="api-search-complete"),
]
