from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jusoor.territories.models import Territory, TerritoryCode


class TerritoryCodeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TerritoryCode
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data comes from `load_territories`; the admin only reads it."""

    list_display = ["code", "name_fr", "name_ar", "kind", "country", "parent"]
    list_filter = ["country", "kind"]
    search_fields = ["code", "name_fr", "name_ar", "name_en"]
    list_select_related = ["parent"]
    inlines = [TerritoryCodeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
