from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from jusoor.common import views as common_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("readyz", common_views.readyz, name="readyz"),
    path("api/v1/", include("jusoor.api.urls")),
    path("payments/", include("jusoor.payments.urls_callbacks")),  # provider callbacks: no language prefix
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True)),
]

urlpatterns += i18n_patterns(
    path("", common_views.home, name="home"),
    path("about/data/", common_views.about_data, name="about_data"),
    path("", include("jusoor.accounts.urls")),
    path("", include("jusoor.territories.urls")),
    path("", include("jusoor.organizations.urls")),
    path("campaigns/", include("jusoor.campaigns.urls", namespace="campaigns")),
    path("", include("jusoor.donations.urls")),
    path("payments/", include("jusoor.payments.urls")),
    path("programmes/", include("jusoor.programmes.urls")),
    path("calls/", include("jusoor.calls.urls")),
    path("reviews/", include("jusoor.reviews.urls")),
    path("incubation/", include("jusoor.incubation.urls")),
    path("grants/", include("jusoor.grants.urls")),
    path("finance/", include("jusoor.finance.urls", namespace="finance")),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:  # in production the web server or object storage serves the public media (logos)
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
