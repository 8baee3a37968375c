"""Subscription pages, under /subscriptions/."""
from django.urls import path

from lims.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("<int:subscription_id>/", views.subscription_detail, name="detail"),
    path("<int:subscription_id>/backfill", views.backfill, name="backfill"),
    path("<int:subscription_id>/toggle", views.toggle, name="toggle"),
    path("<int:subscription_id>/delete", views.delete, name="delete"),
]
