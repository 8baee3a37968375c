"""API routes of this app: tus uploads under /api/v1/uploads/."""
from django.urls import path

from lims.uploads.api import UploadCreateView, UploadDetailView

urlpatterns = [
    path("uploads/", UploadCreateView.as_view(), name="upload-list"),
    path("uploads/<uuid:pk>", UploadDetailView.as_view(), name="upload-detail"),
]
