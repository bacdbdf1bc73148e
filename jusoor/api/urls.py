from django.urls import path

from jusoor.api.v1.territories import views as territories

urlpatterns = [
    path("territories/", territories.TerritoryListView.as_view(), name="api-territory-list"),
    path("territories/<str:code>/", territories.TerritoryDetailView.as_view(), name="api-territory-detail"),
    path(
        "territories/<str:code>/boundary/",
        territories.TerritoryBoundaryView.as_view(),
        name="api-territory-boundary",
    ),
]
