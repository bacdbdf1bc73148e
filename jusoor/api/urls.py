from django.urls import path

from jusoor.api.v1.campaigns import views as campaigns
from jusoor.api.v1.donations import views as donations
from jusoor.api.v1.matching_pots import views as matching_pots
from jusoor.api.v1.organizations import views as organizations
from jusoor.api.v1.payments import views as payments
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
]
