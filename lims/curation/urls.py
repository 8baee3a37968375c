"""Curation pages, under /records/<id>/."""
from django.urls import path

from lims.curation import views

app_name = "curation"
urlpatterns = [
    path("<int:record_id>/edit/", views.edit_record, name="edit"),
    path("<int:record_id>/history/", views.history, name="history"),
    path("<int:record_id>/activities/merge", views.merge_activities, name="merge"),
    path("<int:record_id>/files/<int:file_id>/describe", views.describe_file, name="describe"),
    path("<int:record_id>/files/<int:file_id>/move", views.move_file, name="move"),
    path("<int:record_id>/files/<int:file_id>/split", views.split_activity, name="split"),
]
