"""Analysis pages."""
from django.urls import path
from django.views.generic import RedirectView

from lims.analysis import views

app_name = "analysis"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="analysis:catalogue"), name="home"),
    path("methods/", views.catalogue, name="catalogue"),
    path("records/<int:record_id>/", views.analyse, name="analyse"),
    path("records/<int:record_id>/<slug:slug>/", views.run_form, name="run-form"),
    path("runs/", views.my_runs, name="my-runs"),
    path("runs/<uuid:run_id>/", views.run_page, name="run"),
    path("runs/<uuid:run_id>/cancel", views.cancel, name="cancel"),
]
