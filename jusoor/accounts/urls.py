from django.urls import path

from jusoor.accounts import views

urlpatterns = [
    path("account/profile/", views.ProfileView.as_view(), name="profile"),
    path("staff/audit/", views.AuditLogView.as_view(), name="audit_log"),
]
