"""Review pages, included under `reviews/` with the namespace "reviews"."""

from django.urls import path

from jusoor.reviews.views import assignment, conflicts, ranking, rubric, scoring

app_name = "reviews"

urlpatterns = [
    path("", scoring.QueueView.as_view(), name="queue"),
    path("applications/<int:application_id>/", scoring.ScoreView.as_view(), name="score"),
    path("programmes/<int:programme_id>/conflicts/", conflicts.ConflictsView.as_view(), name="conflicts"),
    path("calls/<int:call_id>/rubric/", rubric.RubricView.as_view(), name="rubric"),
    path("calls/<int:call_id>/rubric/<int:pk>/", rubric.CriterionEditView.as_view(), name="criterion_edit"),
    path("calls/<int:call_id>/assignments/", assignment.AssignmentView.as_view(), name="assignment"),
    path("calls/<int:call_id>/ranking/", ranking.RankingView.as_view(), name="ranking"),
    path("calls/<int:call_id>/ranking.xlsx", ranking.RankingExportView.as_view(), name="export"),
    path("calls/<int:call_id>/ranking/<int:application_id>/decide/", ranking.DecideView.as_view(), name="decide"),
]
