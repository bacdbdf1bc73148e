from django.urls import path

from jusoor.organizations.views import map as map_views

urlpatterns = [
    path("organisations/map/", map_views.organization_map_view, name="organization_map"),
    path("organisations/map/data.geojson", map_views.organization_map_data_view, name="organization_map_data"),
]
