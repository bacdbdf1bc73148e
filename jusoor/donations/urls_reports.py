"""Receipts, reports and tranches. Included by `jusoor.donations.urls` inside the "donations" namespace (no
app_name here). Paths start with their own words (receipts/, organisations/<pk>/…, campaigns/<pk>/tranches/,
staff/tranches/) so that they never meet the donation pages' `donations/<reference>/<token>/`."""

from django.urls import path

from jusoor.donations import views_reports as views

urlpatterns = [
    path("receipts/summary/<int:year>/", views.YearSummaryView.as_view(), name="year_summary"),
    path("receipts/summary/<int:year>/pdf/", views.YearSummaryView.as_view(pdf=True), name="year_summary_pdf"),
    path("receipts/<str:reference>/", views.ReceiptView.as_view(), name="receipt"),
    path("receipts/<str:reference>/<str:token>/", views.ReceiptTokenView.as_view(), name="receipt_token"),
    path("organisations/<int:pk>/donations/", views.DashboardView.as_view(), name="dashboard"),
    path("organisations/<int:pk>/donations/export/", views.DonationExportView.as_view(), name="export"),
    path("organisations/<int:pk>/foreign-funding/", views.ForeignRegisterView.as_view(), name="foreign_register"),
    path(
        "organisations/<int:pk>/foreign-funding/csv/",
        views.ForeignRegisterCsvView.as_view(),
        name="foreign_register_csv",
    ),
    path("campaigns/<int:pk>/tranches/", views.TrancheRequestView.as_view(), name="tranche_request"),
    path("tranches/<int:pk>/proof/", views.TrancheProofView.as_view(), name="tranche_proof"),
    path("staff/tranches/", views.TrancheQueueView.as_view(), name="tranche_queue"),
    path("staff/tranches/<int:pk>/", views.TrancheDecideView.as_view(), name="tranche_decide"),
]
