"""Campaign pages, included under `campaigns/` with the namespace "campaigns"."""

from django.urls import path

from jusoor.campaigns.views import manage, public, review

app_name = "campaigns"

urlpatterns = [
    path("", public.campaign_list_view, name="list"),
    path("<int:pk>/", public.campaign_detail_view, name="detail"),
    path("<int:pk>/follow/", public.CampaignFollowView.as_view(), name="follow"),
    path("<int:pk>/edit/", manage.CampaignUpdateView.as_view(), name="update"),
    path("<int:pk>/images/", manage.CampaignImagesView.as_view(), name="images"),
    path("<int:pk>/dashboard/", manage.CampaignDashboardView.as_view(), name="dashboard"),
    path("<int:pk>/report/", manage.CampaignReportView.as_view(), name="report"),
    path("<int:pk>/updates/new/", manage.CampaignUpdatePostView.as_view(), name="post_update"),
    path("<int:pk>/review/", review.CampaignReviewView.as_view(), name="review"),
    path("review/", review.ReviewQueueView.as_view(), name="review_queue"),
    path("budget-line/", manage.budget_line_row_view, name="budget_line_row"),
    path("organisation/<int:pk>/", manage.organization_campaigns_view, name="organization_campaigns"),
    path("organisation/<int:pk>/new/", manage.CampaignCreateView.as_view(), name="create"),
]
