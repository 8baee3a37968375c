"""Webhook pages, under /webhooks/."""
from django.urls import path

from lims.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="detail"),
    path("<int:endpoint_id>/enable", views.enable, name="enable"),
    path("<int:endpoint_id>/delete", views.delete, name="delete"),
    path("<int:endpoint_id>/messages/<int:message_id>/redeliver", views.redeliver, name="redeliver"),
]
