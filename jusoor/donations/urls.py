from django.urls import path

from jusoor.donations.views.choose import DonationChooseView
from jusoor.donations.views.donate import DonateView, DonationStatusView

app_name = "donations"

urlpatterns = [
    path("campaigns/<int:campaign_id>/donate/", DonateView.as_view(), name="donate"),
    path("donations/<str:reference>/<str:token>/", DonationStatusView.as_view(), name="status"),
    path("donations/<str:reference>/<str:token>/choose/", DonationChooseView.as_view(), name="choose"),
]

try:  # receipts, dashboards and exports
    from jusoor.donations.urls_reports import urlpatterns as report_urlpatterns

    urlpatterns += report_urlpatterns
except ImportError:  # pragma: no cover
    pass

try:  # finance staff: matching pots and refunds
    from jusoor.donations.urls_finance import urlpatterns as finance_urlpatterns

    urlpatterns += finance_urlpatterns
except ImportError:  # pragma: no cover
    pass
