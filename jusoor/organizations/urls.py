from django.urls import include, path

from jusoor.organizations.views import directory, manage, profile

urlpatterns = [
    path("organisations/", directory.organization_directory_view, name="organization_directory"),
    path("organisations/new/", manage.OrganizationCreateView.as_view(), name="organization_create"),
    path("organisations/<int:pk>/", profile.organization_profile_view, name="organization_detail"),
    path("organisations/<int:pk>/edit/", manage.OrganizationUpdateView.as_view(), name="organization_update"),
    path("organisations/<int:pk>/documents/", manage.DocumentsView.as_view(), name="organization_documents"),
    path(
        "organisations/<int:pk>/documents/<int:document_id>/",
        manage.DocumentDownloadView.as_view(),
        name="organization_document_download",
    ),
    path("organisations/<int:pk>/members/", manage.MembersView.as_view(), name="organization_members"),
    path("organisations/<int:pk>/board/", manage.BoardView.as_view(), name="organization_board"),
    path("organisations/<int:pk>/verification/", manage.VerificationView.as_view(), name="organization_verification"),
    path("organisations/invitations/<str:token>/", manage.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("staff/verification/", manage.VerificationQueueView.as_view(), name="organization_verification_queue"),
    path("", include("jusoor.organizations.urls_map")),
    path("", include("jusoor.organizations.urls_bulk")),
]
