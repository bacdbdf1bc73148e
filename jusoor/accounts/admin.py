from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jusoor.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleGrant
    fk_name = "user"
    extra = 0
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "country_of_residence", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active", "preferred_language", "role_grants__role"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language", "country_of_residence", "phone")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
