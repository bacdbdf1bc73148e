"""Finance staff's donation pages: matching pots and refunds. Included by `jusoor.donations.urls` inside the
"donations" namespace (no app_name here). Paths start with staff/ so that they never meet the donation pages'
`donations/<reference>/<token>/`."""

from django.urls import path

from jusoor.donations import views_finance as views

urlpatterns = [
    path("staff/matching-pots/", views.MatchingPotListView.as_view(), name="pot_list"),
    path("staff/matching-pots/new/", views.MatchingPotCreateView.as_view(), name="pot_create"),
    path("staff/donations/<int:pk>/refund/", views.DonationRefundView.as_view(), name="refund"),
    # The dashboard's rows know a donation by its reference.
    path(
        "staff/donations/<str:reference>/refund/",
        views.DonationRefundView.as_view(),
        name="refund_by_reference",
    ),
]
