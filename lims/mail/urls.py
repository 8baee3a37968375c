"""E-mail preference page, under /accounts/."""
from django.urls import path

from lims.mail import views

app_name = "mail"
urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
]
