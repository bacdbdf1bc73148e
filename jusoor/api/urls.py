from django.urls import path

from jusoor.api.v1.calls import views as calls
from jusoor.api.v1.campaigns import views as campaigns
from jusoor.api.v1.donations import views as donations
from jusoor.api.v1.matching_pots import views as matching_pots
from jusoor.api.v1.organizations import views as organizations
from jusoor.api.v1.payments import views as payments
from jusoor.api.v1.programmes import views as programmes
from jusoor.api.v1.territories import views as territories

urlpatterns = [
    path("territories/", territories.TerritoryListView.as_view(), name="api-territory-list"),
    path("territories/<str:code>/", territories.TerritoryDetailView.as_view(), name="api-territory-detail"),
    path(
        "territories/<str:code>/boundary/",
        territories.TerritoryBoundaryView.as_view(),
        name="api-territory-boundary",
    ),
    path("organisations/", organizations.OrganizationListView.as_view(), name="api-organization-list"),
    path("organisations/<str:id>/", organizations.OrganizationDetailView.as_view(), name="api-organization-detail"),
    path(
        "organisations/<str:id>/verification/",
        organizations.OrganizationVerificationView.as_view(),
        name="api-organization-verification",
    ),
    path(
        "organisations/<str:id>/submit/",
        organizations.OrganizationSubmitView.as_view(),
        name="api-organization-submit",
    ),
    path("organisation-kinds/", organizations.OrganizationKindListView.as_view(), name="api-organization-kind-list"),
    path("themes/", organizations.ThemeListView.as_view(), name="api-theme-list"),
    path("sdgs/", organizations.SDGListView.as_view(), name="api-sdg-list"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="api-campaign-list"),
    path("campaigns/<str:id>/", campaigns.CampaignDetailView.as_view(), name="api-campaign-detail"),
    path(
        "campaigns/<str:id>/donations/",
        donations.CampaignDonationsView.as_view(),
        name="api-campaign-donations",
    ),
    path("matching-pots/", matching_pots.MatchingPotListView.as_view(), name="api-matching-pot-list"),
    path("matching-pots/<str:id>/", matching_pots.MatchingPotDetailView.as_view(), name="api-matching-pot-detail"),
    path(
        "payments/<str:provider>/callback/",
        payments.PaymentCallbackView.as_view(),
        name="api-payment-callback",
    ),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="api-programme-list"),
    path("programmes/<str:id>/", programmes.ProgrammeDetailView.as_view(), name="api-programme-detail"),
    path(
        "programmes/<str:id>/indicators/",
        programmes.ProgrammeIndicatorsView.as_view(),
        name="api-programme-indicators",
    ),
    path("calls/", calls.CallListView.as_view(), name="api-call-list"),
    path("calls/<str:id>/", calls.CallDetailView.as_view(), name="api-call-detail"),
    path("calls/<str:id>/applications/", calls.CallApplicationsView.as_view(), name="api-call-applications"),
    path(
        "calls/<str:id>/applications/<str:app_id>/",
        calls.ApplicationDetailView.as_view(),
        name="api-application-detail",
    ),
    path(
        "calls/<str:id>/applications/<str:app_id>/submit/",
        calls.ApplicationSubmitView.as_view(),
        name="api-application-submit",
    ),
]
