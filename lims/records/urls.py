"""Browser pages for records."""
from django.urls import path

from lims.records import exports, sharing, table, views
from lims.search import views as search_views

app_name = "records"
urlpatterns = [
    path("", search_views.record_list, name="list"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/table/", table.metadata_table, name="table"),
    path("<int:record_id>/table.csv", table.metadata_csv, name="table-csv"),
    path("<int:record_id>/record.xml", views.record_xml, name="xml"),
    path("<int:record_id>/record.json", views.record_json, name="json"),
    path("<int:record_id>/nexus.xml", exports.record_nexus, name="nexus"),
    path("<int:record_id>/visibility", sharing.record_visibility, name="visibility"),
    path("<int:record_id>/download.zip", views.record_zip, name="zip"),
    path("<int:record_id>/files/<int:file_id>/", views.file_download, name="file"),
    path("<int:record_id>/files/<int:file_id>/preview.png", views.file_preview, name="preview"),
    path("<int:record_id>/files/<int:file_id>/metadata/", views.file_metadata, name="metadata"),
    path("<int:record_id>/files/<int:file_id>/view/", views.file_page, name="file-page"),
    path("session/<uuid:session_id>/", views.session_record, name="session"),
    path("session/<uuid:session_id>/files/<int:file_id>/preview.png", views.session_preview, name="session-preview"),
]
