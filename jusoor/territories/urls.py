from django.urls import path

from jusoor.territories import views

urlpatterns = [
    path("territories/", views.territory_browse, name="territory_browse"),
    path("territories/suggest/", views.territory_suggest, name="territory_suggest"),
]
