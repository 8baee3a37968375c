"""Saved search pages, under /searches/."""
from django.urls import path

from lims.searches import views

app_name = "searches"
urlpatterns = [
    path("", views.search_list, name="list"),
    path("<int:search_id>/", views.search_detail, name="detail"),
    path("<int:search_id>/delete", views.delete_search, name="delete"),
]
