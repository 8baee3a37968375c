"""API routes for methods and runs."""
from django.urls import path

from lims.analysis import api, runner_api

urlpatterns = [
    path("methods/", api.MethodListView.as_view(), name="api-methods"),
    path("methods/<slug:slug>/", api.MethodDetailView.as_view(), name="api-method-detail"),
    path("runs/", api.RunListView.as_view(), name="api-runs"),
    path("runs/<uuid:pk>/", api.RunDetailView.as_view(), name="api-run-detail"),
    path("runs/<uuid:pk>/cancel", api.RunCancelView.as_view(), name="api-run-cancel"),
    path("runs/<uuid:pk>/log", api.RunLogView.as_view(), name="api-run-log"),
    path("runs/<uuid:pk>/prov", api.RunProvView.as_view(), name="api-run-prov"),
    path("records/<int:pk>/ro-crate", api.RecordCrateView.as_view(), name="api-record-ro-crate"),
    path("runner/claim", runner_api.ClaimView.as_view(), name="api-runner-claim"),
    path("runner/runs/<uuid:pk>/inputs/<int:file_id>", runner_api.InputView.as_view(), name="api-runner-input"),
    path("runner/runs/<uuid:pk>/progress", runner_api.ProgressView.as_view(), name="api-runner-progress"),
    path("runner/uploads/", runner_api.OutputUploadsView.as_view(), name="api-runner-uploads"),
    path("runner/uploads/<uuid:pk>", runner_api.OutputUploadView.as_view(), name="api-runner-upload"),
    path("runner/runs/<uuid:pk>/finish", runner_api.FinishView.as_view(), name="api-runner-finish"),
]
