"""Finance pages, under the language prefix: /<lang>/finance/…"""

from django.urls import path

from jusoor.finance import views

app_name = "finance"

urlpatterns = [
    path("rates/", views.ExchangeRateListView.as_view(), name="rates"),
    path("rates/import/", views.ExchangeRateImportView.as_view(), name="rates_import"),
]
