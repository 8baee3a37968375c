"""API routes for records."""
from django.urls import path

from lims.records import api, exports, plots, sharing

urlpatterns = [
    path("records/<int:pk>/", api.RecordDetailView.as_view(), name="api-record-detail"),
    path("records/<int:pk>/xml", api.RecordXmlView.as_view(), name="api-record-xml"),
    path("records/<int:pk>/download", api.RecordDownloadView.as_view(), name="api-record-download"),
    path("records/<int:pk>/files/", api.RecordFilesView.as_view(), name="api-record-files"),
    path("records/<int:pk>/files/<int:file_id>/", api.RecordFileView.as_view(), name="api-record-file"),
    path("records/<int:pk>/files/<int:file_id>/original-metadata", api.OriginalMetadataView.as_view(),
         name="api-record-file-original-metadata"),
    path("records/<int:pk>/files/<int:file_id>/plot", plots.FilePlotView.as_view(), name="api-record-file-plot"),
    path("records/<int:pk>/nexus", exports.RecordNexusView.as_view(), name="api-record-nexus"),
    path("records/<int:pk>/visibility", sharing.RecordVisibilityView.as_view(), name="api-record-visibility"),
]
