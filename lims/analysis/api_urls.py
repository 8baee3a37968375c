"""API routes for methods and runs."""
from django.urls import path

from lims.analysis import api

urlpatterns = [
    path("methods/", api.MethodListView.as_view(), name="api-methods"),
    path("methods/<slug:slug>/", api.MethodDetailView.as_view(), name="api-method-detail"),
    path("runs/", api.RunListView.as_view(), name="api-runs"),
    path("runs/<uuid:pk>/", api.RunDetailView.as_view(), name="api-run-detail"),
    path("runs/<uuid:pk>/cancel", api.RunCancelView.as_view(), name="api-run-cancel"),
    path("runs/<uuid:pk>/log", api.RunLogView.as_view(), name="api-run-log"),
    path("runs/<uuid:pk>/prov", api.RunProvView.as_view(), name="api-run-prov"),
    path("records/<int:pk>/ro-crate", api.RecordCrateView.as_view(), name="api-record-ro-crate"),
]
