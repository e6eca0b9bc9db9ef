"""/api/v1/organizations, /memberships, /contacts — thin: scope through selectors, write through services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiyuan.core import access
from zhiyuan.core.api import AuthedRequest, Error, ValidationErrors
from zhiyuan.core.pagination import Paginated
from zhiyuan.organizations import selectors, services
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.organizations.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
)

router = Router(tags=["organizations"])
WRITE_ERRORS: dict[int, Any] = {403: Error, 404: Error, 409: Error, 422: ValidationErrors}


def _org_ref(user: Any, field: str, pk: int | None) -> Organization | None:
    """An organisation named in a request body; one outside the user's scope does not exist for them."""
    if pk is None:
        return None
    found = selectors.organization_list(user=user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("所选组织不存在。")})
    return found


def _org_refs(user: Any, field: str, pks: list[int]) -> list[Organization]:
    return [org for pk in pks if (org := _org_ref(user, field, pk)) is not None]


class OrganizationFilters(Schema):
    search: str = ""
    kind: str = ""
    parent: int | None = None


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Paginated)
def list_organizations(request: AuthedRequest, filters: Query[OrganizationFilters]) -> Any:
    return selectors.organization_list(user=request.auth, **filters.dict())


@router.get("/organizations/{org_id}", response={200: OrganizationOut, 404: Error})
def get_organization(request: AuthedRequest, org_id: int) -> Any:
    return _detail(request.auth, org_id)


def _detail(user: Any, org_id: int) -> Organization:
    return access.get_or_404(selectors.organization_list(user=user), pk=org_id)


@router.post("/organizations", response={201: OrganizationOut, **WRITE_ERRORS})
def create_organization(request: AuthedRequest, payload: OrganizationIn) -> Any:
    user = request.auth
    data = payload.dict()
    org = services.organization_create(
        by=user,
        name=data["name"],
        kind=data["kind"],
        parent=_org_ref(user, "parent_id", data["parent_id"]),
        parent_agency=_org_ref(user, "parent_agency_id", data["parent_agency_id"]),
        co_agencies=_org_refs(user, "co_agency_ids", data["co_agency_ids"]),
        aliases="\n".join(data["aliases"]),
        address=data["address"],
        phone=data["phone"],
        email=data["email"],
        description=data["description"],
    )
    return Status(201, _detail(user, org.pk))


@router.patch("/organizations/{org_id}", response={200: OrganizationOut, **WRITE_ERRORS})
def update_organization(request: AuthedRequest, org_id: int, payload: OrganizationPatch) -> Any:
    user = request.auth
    org = _detail(user, org_id)
    changes = payload.dict(exclude_unset=True)
    if "parent_id" in changes:
        changes["parent"] = _org_ref(user, "parent_id", changes.pop("parent_id"))
    if "parent_agency_id" in changes:
        changes["parent_agency"] = _org_ref(user, "parent_agency_id", changes.pop("parent_agency_id"))
    if "co_agency_ids" in changes:
        changes["co_agencies"] = _org_refs(user, "co_agency_ids", changes.pop("co_agency_ids") or [])
    if "aliases" in changes:
        changes["aliases"] = "\n".join(changes["aliases"] or [])
    for required in ("name", "kind"):
        if required in changes and changes[required] is None:
            raise ValidationError({required: _("此项不能为空。")})
    services.organization_update(by=user, organization=org, **changes)
    return Status(200, _detail(user, org.pk))


@router.delete("/organizations/{org_id}", response={204: None, **WRITE_ERRORS})
def delete_organization(request: AuthedRequest, org_id: int) -> Any:
    services.organization_delete(by=request.auth, organization=_detail(request.auth, org_id))
    return Status(204, None)


class MembershipFilters(Schema):
    organization: int | None = None
    role: str = ""


@router.get("/memberships", response=list[MembershipOut])
@paginate(Paginated)
def list_memberships(request: AuthedRequest, filters: Query[MembershipFilters]) -> Any:
    qs = selectors.membership_list(user=request.auth, role=filters.role)
    return qs.filter(organization_id=filters.organization) if filters.organization else qs


@router.get("/memberships/{membership_id}", response={200: MembershipOut, 404: Error})
def get_membership(request: AuthedRequest, membership_id: int) -> Any:
    return selectors.membership_get(user=request.auth, pk=membership_id)


@router.post("/memberships", response={201: MembershipOut, **WRITE_ERRORS})
def create_membership(request: AuthedRequest, payload: MembershipIn) -> Any:
    user = request.auth
    org = _org_ref(user, "organization_id", payload.organization_id)
    assert org is not None
    if (payload.user_id is None) == (payload.person is None):
        raise ValidationError({"user_id": _("请提供 user_id 或 person 中的一项。")})
    if payload.user_id is not None:
        # scoped like a URL id: a person outside the caller's units is not found, and nothing is written
        person = selectors.person_get(user=user, pk=payload.user_id)
    else:
        assert payload.person is not None
        access.require(user, Perm.MEMBER_CHANGE, org)
        person = services.person_find_or_create(by=user, **payload.person.dict())
    membership = services.membership_create(
        by=user, organization=org, user=person, role=payload.role, title=payload.title
    )
    return Status(201, selectors.membership_get(user=user, pk=membership.pk))


@router.patch("/memberships/{membership_id}", response={200: MembershipOut, **WRITE_ERRORS})
def update_membership(request: AuthedRequest, membership_id: int, payload: MembershipPatch) -> Any:
    membership = selectors.membership_get(user=request.auth, pk=membership_id)
    services.membership_update(by=request.auth, membership=membership, **payload.dict(exclude_unset=True))
    return Status(200, selectors.membership_get(user=request.auth, pk=membership_id))


@router.delete("/memberships/{membership_id}", response={204: None, **WRITE_ERRORS})
def delete_membership(request: AuthedRequest, membership_id: int) -> Any:
    membership = selectors.membership_get(user=request.auth, pk=membership_id)
    services.membership_delete(by=request.auth, membership=membership)
    return Status(204, None)


class ContactFilters(Schema):
    organization: int | None = None
    category: str = ""


@router.get("/contacts", response=list[ContactOut])
@paginate(Paginated)
def list_contacts(request: AuthedRequest, filters: Query[ContactFilters]) -> Any:
    qs = selectors.contact_list(user=request.auth)
    if filters.organization:
        qs = qs.filter(organization_id=filters.organization)
    return qs.filter(category=filters.category) if filters.category else qs


@router.get("/contacts/{contact_id}", response={200: ContactOut, 404: Error})
def get_contact(request: AuthedRequest, contact_id: int) -> Any:
    return selectors.contact_get(user=request.auth, pk=contact_id)


@router.post("/contacts", response={201: ContactOut, **WRITE_ERRORS})
def create_contact(request: AuthedRequest, payload: ContactIn) -> Any:
    data = payload.dict()
    org = _org_ref(request.auth, "organization_id", data.pop("organization_id"))
    assert org is not None
    contact = services.contact_create(by=request.auth, organization=org, **data)
    return Status(201, selectors.contact_get(user=request.auth, pk=contact.pk))


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **WRITE_ERRORS})
def update_contact(request: AuthedRequest, contact_id: int, payload: ContactPatch) -> Any:
    contact = selectors.contact_get(user=request.auth, pk=contact_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    for required in ("name", "category"):
        if required in changes and changes[required] is None:
            raise ValidationError({required: _("此项不能为空。")})
    services.contact_update(by=request.auth, contact=contact, **changes)
    return Status(200, selectors.contact_get(user=request.auth, pk=contact_id))


@router.delete("/contacts/{contact_id}", response={204: None, **WRITE_ERRORS})
def delete_contact(request: AuthedRequest, contact_id: int) -> Any:
    contact = selectors.contact_get(user=request.auth, pk=contact_id)
    services.contact_delete(by=request.auth, contact=contact)
    return Status(204, None)
