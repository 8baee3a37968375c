"""URL map: the landing page at /, API v1 under /api/v1/, OpenAPI at /api/schema/, pages under /records/, the
administrator's overview under /manage/."""
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lims.core import accounts
from lims.core import views as core_views
from lims.records import views as record_views

urlpatterns = [
    path("", record_views.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/token/", record_views.api_token, name="api-token"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("lims.mail.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("lims.instruments.urls")),
    path("api/v1/", include("lims.sessions.urls")),
    path("api/v1/", include("lims.uploads.urls")),
    path("api/v1/", include("lims.search.api_urls")),
    path("api/v1/", include("lims.records.api_urls")),
    path("api/v1/", include("lims.curation.api_urls")),
    path("api/v1/", include("lims.searches.api_urls")),
    path("api/v1/", include("lims.subscriptions.api_urls")),
    path("api/v1/", include("lims.webhooks.api_urls")),
    path("api/v1/", include("lims.analysis.api_urls")),
    path("records/", include("lims.search.urls")),
    path("records/", include("lims.records.urls")),
    path("records/", include("lims.curation.urls")),
    path("manage/", include("lims.operations.urls")),
    path("searches/", include("lims.searches.urls")),
    path("subscriptions/", include("lims.subscriptions.urls")),
    path("webhooks/", include("lims.webhooks.urls")),
    path("analysis/", include("lims.analysis.urls")),
]

handler400 = "lims.core.errors.bad_request"
handler403 = "lims.core.errors.permission_denied"
handler404 = "lims.core.errors.page_not_found"
handler500 = "lims.core.errors.server_error"
