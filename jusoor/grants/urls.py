"""Demo Day and seed grant pages, included under `grants/` with the namespace "grants"."""

from django.urls import path

from jusoor.grants.views import grants, jury

app_name = "grants"

urlpatterns = [
    path("mine/", grants.MyGrantsView.as_view(), name="mine"),
    path("programme/<int:pk>/", grants.ProgrammeGrantsView.as_view(), name="programme"),
    path("programme/<int:pk>/award/", grants.AwardView.as_view(), name="award"),
    path("programme/<int:pk>/demo-days/new/", jury.DemoDayCreateView.as_view(), name="demo_day_create"),
    path("demo-days/<int:pk>/setup/", jury.DemoDaySetupView.as_view(), name="demo_day_setup"),
    path("demo-days/<int:pk>/jury/", jury.JuryView.as_view(), name="jury"),
    path("demo-days/<int:pk>/ranking/", jury.RankingView.as_view(), name="ranking"),
    path("pitches/<int:pk>/score/", jury.PitchScoreView.as_view(), name="score"),
    path("pitches/<int:pk>/recuse/", jury.RecuseView.as_view(), name="recuse"),
    path("<int:pk>/", grants.GrantDetailView.as_view(), name="detail"),
    path("<int:pk>/action/", grants.GrantActionView.as_view(), name="action"),
    path("<int:pk>/schedule/", grants.ScheduleView.as_view(), name="schedule"),
    path("<int:pk>/reports/new/", grants.ReportSubmitView.as_view(), name="report_submit"),
    path("<int:pk>/agreement/", grants.GrantFileView.as_view(), {"kind": "agreement"}, name="agreement_file"),
    path(
        "<int:pk>/reports/<int:report>/statement/",
        grants.GrantFileView.as_view(),
        {"kind": "statement"},
        name="statement_file",
    ),
]
