from django.urls import path

from jusoor.incubation.views import activities, checkin, coaching, cohorts, teams, timeline

app_name = "incubation"

urlpatterns = [
    # Activities
    path("programmes/<int:programme_pk>/activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path(
        "programmes/<int:programme_pk>/activities/new/", activities.ActivityCreateView.as_view(), name="activity_create"
    ),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/held/", activities.ActivityHeldView.as_view(), name="activity_held"),
    path("activities/<int:pk>/cancel/", activities.ActivityCancelView.as_view(), name="activity_cancel"),
    path("activities/<int:pk>/register/", activities.RegistrationCreateView.as_view(), name="registration_create"),
    path("activities/<int:pk>/walk-in/", activities.WalkInView.as_view(), name="walk_in"),
    path(
        "activities/<int:pk>/registrations/<int:registration_pk>/check-in/",
        activities.SheetCheckInView.as_view(),
        name="sheet_check_in",
    ),
    path("activities/<int:pk>/sign-in-sheet.pdf", activities.SigninSheetView.as_view(), name="signin_sheet"),
    path("activities/<int:pk>/qr-codes/", activities.QrCodesView.as_view(), name="qr_codes"),
    # Check-in on phones, feedback
    path("checkin/<str:token>/", checkin.CheckinView.as_view(), name="checkin"),
    path(
        "checkin/<str:token>/<int:registration_pk>/<str:signature>/",
        checkin.CheckinRegistrationView.as_view(),
        name="checkin_registration",
    ),
    path("feedback/<str:signed>/", checkin.feedback_view, name="feedback"),
    # Cohorts
    path("programmes/<int:programme_pk>/cohorts/", cohorts.CohortListView.as_view(), name="cohort_list"),
    path("cohorts/<int:pk>/", cohorts.CohortDetailView.as_view(), name="cohort_detail"),
    # Coaching
    path("programmes/<int:programme_pk>/coaching/", coaching.CoachingView.as_view(), name="coaching"),
    path("programmes/<int:programme_pk>/coaching/assign/", coaching.AssignCoachView.as_view(), name="assign_coach"),
    path("assignments/<int:pk>/sessions/new/", coaching.SessionLogView.as_view(), name="session_log"),
    path("sessions/<int:pk>/", coaching.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/correct/", coaching.SessionCorrectView.as_view(), name="session_correct"),
    path("sessions/<int:pk>/confirm/", coaching.SessionConfirmView.as_view(), name="session_confirm"),
    path("sessions/<int:pk>/dispute/", coaching.SessionDisputeView.as_view(), name="session_dispute"),
    path("sessions/to-confirm/", coaching.sessions_to_confirm_view, name="sessions_to_confirm"),
    # Timeline
    path("organisations/<int:pk>/timeline/", timeline.TimelineView.as_view(), name="timeline"),
    # Local teams
    path("programmes/<int:programme_pk>/local-teams/", teams.LocalTeamListView.as_view(), name="local_team_list"),
    path("local-teams/<int:pk>/", teams.LocalTeamPage.as_view(), name="local_team_detail"),
    path("local-teams/<int:pk>/members/", teams.LocalTeamMemberAddView.as_view(), name="local_team_member_add"),
    path("local-teams/<int:pk>/sessions/", teams.LocalTeamSessionView.as_view(), name="local_team_session"),
]
