"""Pages of the payments app, under the language prefix: /<lang>/payments/…"""

from django.urls import path

from jusoor.payments.views import statements, testpay

app_name = "payments"

urlpatterns = [
    path("testpay/<str:token>/", testpay.TestPayPageView.as_view(), name="testpay_page"),
    path("statements/", statements.StatementListView.as_view(), name="statements"),
    path("statements/review/", statements.StatementReviewView.as_view(), name="statement_review"),
    path("statements/<int:pk>/", statements.StatementDetailView.as_view(), name="statement_detail"),
    path("statements/lines/<int:pk>/", statements.StatementLineView.as_view(), name="statement_line"),
]
