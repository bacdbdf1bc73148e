from django.urls import path

from jusoor.organizations.views import bulk

urlpatterns = [
    path("organisations/export/", bulk.organization_export_view, name="organization_export"),
    path("staff/organisations/import/", bulk.ImportUploadView.as_view(), name="organization_import"),
    path(
        "staff/organisations/import/template/",
        bulk.ImportTemplateView.as_view(),
        name="organization_import_template",
    ),
    path("staff/organisations/import/<int:pk>/", bulk.ImportJobView.as_view(), name="organization_import_job"),
    path(
        "staff/organisations/import/<int:pk>/report/",
        bulk.ImportReportView.as_view(),
        name="organization_import_report",
    ),
]
