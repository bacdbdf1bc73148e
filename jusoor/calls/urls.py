"""Call pages, included under `calls/` with the namespace "calls"."""

from django.urls import path

from jusoor.calls.views import applicant, manage, public

app_name = "calls"

urlpatterns = [
    path("", public.call_list_view, name="list"),
    path("<int:pk>/", public.call_detail_view, name="detail"),
    path("<int:pk>/apply/", applicant.ApplyView.as_view(), name="apply"),
    path("<int:pk>/edit/", manage.CallUpdateView.as_view(), name="update"),
    path("<int:pk>/publish/", manage.CallPublishView.as_view(), name="publish"),
    path("<int:pk>/questions/", manage.QuestionsView.as_view(), name="questions"),
    path("<int:pk>/applications/", manage.ApplicationListView.as_view(), name="applications"),
    path("programme/<int:pk>/new/", manage.CallCreateView.as_view(), name="create"),
    path("questions/<int:pk>/edit/", manage.QuestionUpdateView.as_view(), name="question_update"),
    path("questions/<int:pk>/action/", manage.QuestionActionView.as_view(), name="question_action"),
    path("applications/", applicant.my_applications_view, name="my_applications"),
    path("applications/<int:pk>/", applicant.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/form/", applicant.ApplicationFormView.as_view(), name="application_form"),
    path("applications/<int:pk>/withdraw/", applicant.ApplicationWithdrawView.as_view(), name="application_withdraw"),
    path("applications/<int:pk>/decide/", manage.ApplicationDecideView.as_view(), name="application_decide"),
    path("budget-row/", applicant.budget_row_view, name="budget_row"),
]
