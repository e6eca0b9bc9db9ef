"""API shapes for the organisation registry. Inputs forbid unknown fields, so a typo is a 422."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from zhiyuan.core.api import Strict
from zhiyuan.core.phones import mask_mobile
from zhiyuan.organizations.models import ContactCategory, Kind, Membership, Organization, UnitContact
from zhiyuan.organizations.roles import Role


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    parent_name: str | None
    parent_agency_id: int | None
    parent_agency_name: str | None
    co_agency_ids: list[int]
    aliases: list[str]
    address: str
    phone: str
    email: str
    description: str
    depth: int
    child_count: int | None = None
    member_count: int | None = None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return str(Kind(obj.kind).label)

    @staticmethod
    def resolve_parent_name(obj: Organization) -> str | None:
        return obj.parent.name if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_parent_agency_name(obj: Organization) -> str | None:
        return obj.parent_agency.name if obj.parent_agency_id and obj.parent_agency else None

    @staticmethod
    def resolve_co_agency_ids(obj: Organization) -> list[int]:
        return [a.pk for a in obj.co_agencies.all()]

    @staticmethod
    def resolve_aliases(obj: Organization) -> list[str]:
        return [a for a in obj.aliases.splitlines() if a.strip()]

    @staticmethod
    def resolve_child_count(obj: Organization) -> int | None:
        return getattr(obj, "child_count", None)

    @staticmethod
    def resolve_member_count(obj: Organization) -> int | None:
        return getattr(obj, "member_count", None)


class OrganizationIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    kind: Kind
    parent_id: int | None = None
    parent_agency_id: int | None = None
    co_agency_ids: list[int] = []
    aliases: list[str] = []
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    description: str = ""


class OrganizationPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: Kind | None = None
    parent_id: int | None = None
    parent_agency_id: int | None = None
    co_agency_ids: list[int] | None = None
    aliases: list[str] | None = None
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    description: str | None = None


class MembershipOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    user_id: int
    user_name: str
    user_mobile: str
    role: str
    role_label: str
    title: str
    created_at: datetime

    @staticmethod
    def resolve_organization_name(obj: Membership) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_user_name(obj: Membership) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_user_mobile(obj: Membership) -> str:
        return mask_mobile(obj.user.mobile)

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(Role(obj.role).label)


class PersonIn(Strict):
    full_name: str = Field(min_length=1, max_length=50)
    mobile: str = Field("", max_length=30)


class MembershipIn(Strict):
    organization_id: int
    role: Role
    title: str = Field("", max_length=100)
    user_id: int | None = Field(None, description="已有用户；与 person 二选一")
    person: PersonIn | None = Field(None, description="按手机号查找或新建人员")


class MembershipPatch(Strict):
    role: Role | None = None
    title: str | None = Field(None, max_length=100)


class ContactOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    category: str
    category_label: str
    name: str
    title: str
    office_phone: str
    mobile: str
    updated_at: datetime

    @staticmethod
    def resolve_organization_name(obj: UnitContact) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_category_label(obj: UnitContact) -> str:
        return str(ContactCategory(obj.category).label)


class ContactIn(Strict):
    organization_id: int
    category: ContactCategory
    name: str = Field(min_length=1, max_length=50)
    title: str = Field("", max_length=100)
    office_phone: str = Field("", max_length=30)
    mobile: str = Field("", max_length=30)


class ContactPatch(Strict):
    category: ContactCategory | None = None
    name: str | None = Field(None, min_length=1, max_length=50)
    title: str | None = Field(None, max_length=100)
    office_phone: str | None = Field(None, max_length=30)
    mobile: str | None = Field(None, max_length=30)
