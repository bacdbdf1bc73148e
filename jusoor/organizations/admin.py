from django.contrib import admin

from jusoor.organizations.models import (
    BoardMember,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationKind,
    SDGGoal,
    SDGTarget,
    Theme,
)


@admin.register(OrganizationKind, Theme)
class TranslatedLabelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Kinds and themes are data the platform admin extends; labels are {"ar", "fr", "en"}."""

    list_display = ["slug", "name", "position"]
    ordering = ["position", "slug"]


@admin.register(SDGGoal)
class SDGGoalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "name", "color"]


@admin.register(SDGTarget)
class SDGTargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "goal"]
    list_filter = ["goal"]


class BoardMemberInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BoardMember
    extra = 0


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrganizationDocument
    extra = 0
    readonly_fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "created_at"]
    exclude = ["file"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Status changes go through the verification pages (audited, notified), not through the admin."""

    list_display = ["__str__", "kind", "country", "territory", "status", "created_at"]
    list_filter = ["status", "country", "kind"]
    search_fields = ["name_ar", "name_fr", "name_en", "acronym", "registration_number"]
    list_select_related = ["kind", "territory"]
    raw_id_fields = ["territory", "operating_territories", "status_changed_by"]
    readonly_fields = ["status", "status_reason", "status_changed_at", "status_changed_by"]
    inlines = [BoardMemberInline, MembershipInline, DocumentInline]
