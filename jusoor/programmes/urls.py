"""Programme pages, included under `programmes/` with the namespace "programmes"."""

from django.urls import path

from jusoor.programmes.views import dashboard, indicators, manage, public, reports

app_name = "programmes"

urlpatterns = [
    path("", public.programme_list_view, name="list"),
    path("new/", manage.ProgrammeCreateView.as_view(), name="create"),
    path("<int:pk>/", public.programme_detail_view, name="detail"),
    path("<int:pk>/edit/", manage.ProgrammeUpdateView.as_view(), name="update"),
    path("<int:pk>/status/", manage.ProgrammeStatusView.as_view(), name="status"),
    path("<int:pk>/team/", manage.TeamView.as_view(), name="team"),
    path("<int:pk>/indicators/", indicators.IndicatorListView.as_view(), name="indicators"),
    path("<int:pk>/indicators/new/", indicators.IndicatorFormView.as_view(), name="indicator_create"),
    path("<int:pk>/indicators/<int:indicator_id>/", indicators.IndicatorFormView.as_view(), name="indicator_update"),
    path("<int:pk>/reports/new/", reports.ReportSubmitView.as_view(), name="report_submit"),
    path("<int:pk>/reports/", reports.ReportQueueView.as_view(), name="reports"),
    path("<int:pk>/reports/<int:report_id>/evidence/", reports.ReportEvidenceView.as_view(), name="report_evidence"),
    path("<int:pk>/dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/dashboard.xlsx", dashboard.DashboardXlsxView.as_view(), name="dashboard_xlsx"),
    path("<int:pk>/dashboard.pdf", dashboard.DashboardPdfView.as_view(), name="dashboard_pdf"),
]
