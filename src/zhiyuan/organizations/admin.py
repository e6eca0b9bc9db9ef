from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from zhiyuan.organizations.models import Membership, Organization, UnitContact


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ContactInline(admin.TabularInline):
    model = UnitContact
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "parent_agency", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "search", "aliases"]
    autocomplete_fields = ["parent", "parent_agency", "co_agencies"]
    readonly_fields = ["path", "created_at", "updated_at"]
    inlines = [ContactInline, MembershipInline]
    list_select_related = ["parent", "parent_agency"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(UnitContact)
class UnitContactAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "category", "name", "title", "office_phone", "mobile"]
    list_filter = ["category"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization", "user"]
    list_select_related = ["organization"]
