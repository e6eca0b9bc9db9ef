"""Writes to the organisation registry. Each checks permission through `core.access` and is atomic."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit, images
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.core.permissions import grantable_roles
from zhiyuan.organizations.models import Membership, Organization, UnitContact
from zhiyuan.organizations.roles import Perm

ORG_FIELDS = (
    "name",
    "kind",
    "parent",
    "parent_agency",
    "aliases",
    "address",
    "phone",
    "email",
    "description",
)
CONTACT_FIELDS = ("category", "name", "title", "office_phone", "mobile", "user")


def _check_reference(by: User, field: str, org: Organization | None, perm: str = Perm.ORG_VIEW) -> None:
    """A referenced organisation outside the user's scope is reported as not existing, never as 403."""
    if org is not None and not access.can(by, perm, org):
        raise ValidationError({field: _("所选组织不存在。")})


def _save(instance: Any, *, by: User, unique_message: str = "") -> Any:
    try:
        instance.full_clean()
    except ValidationError as exc:
        if unique_message and "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"__all__": unique_message}) from None
        raise
    audit.attribute(instance, by)
    instance.save()
    return instance


@transaction.atomic
def organization_create(
    *, by: User, name: str, kind: str, parent: Organization | None, **fields: Any
) -> Organization:
    if parent is None:
        if not access.is_global(by):
            raise access.PermissionDenied(_("只有平台管理员可以创建顶级组织。"))
    else:
        _check_reference(by, "parent", parent)
        access.require(by, Perm.ORG_CHANGE, parent)
    _check_reference(by, "parent_agency", fields.get("parent_agency"))
    co_agencies = fields.pop("co_agencies", None)
    org = Organization(name=name, kind=kind, parent=parent, **fields)
    _save(org, by=by, unique_message=_("同一上级组织下已有同名组织。"))
    if co_agencies is not None:
        org.co_agencies.set(co_agencies)
    return org


@transaction.atomic
def organization_update(*, by: User, organization: Organization, **changes: Any) -> Organization:
    access.require(by, Perm.ORG_CHANGE, organization)
    if "parent" in changes and changes["parent"] != organization.parent:
        new_parent = changes["parent"]
        if new_parent is None:
            if not access.is_global(by):
                raise access.PermissionDenied(_("只有平台管理员可以把组织设为顶级组织。"))
        else:
            _check_reference(by, "parent", new_parent)
            access.require(by, Perm.ORG_CHANGE, new_parent)
    if "parent_agency" in changes:
        _check_reference(by, "parent_agency", changes["parent_agency"])
    co_agencies = changes.pop("co_agencies", None)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    for field, value in changes.items():
        if field not in ORG_FIELDS:
            raise ValidationError({field: _("不能修改此字段。")})
        setattr(organization, field, value)
    _save(organization, by=by, unique_message=_("同一上级组织下已有同名组织。"))
    if co_agencies is not None:
        organization.co_agencies.set(co_agencies)
    return organization


@transaction.atomic
def organization_delete(*, by: User, organization: Organization) -> None:
    access.require(by, Perm.ORG_CHANGE, organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.children.exists():
        raise Refused(_("“%(name)s”还有下级组织，请先移走或删除下级组织。") % {"name": organization.name})
    if organization.memberships.exists():
        raise Refused(_("“%(name)s”还有成员，请先移除成员。") % {"name": organization.name})
    if organization.led_bodies.exists() or organization.co_led_bodies.exists():
        raise Refused(_("“%(name)s”是其他志愿服务队伍的主管单位，不能删除。") % {"name": organization.name})
    audit.attribute(organization, by)
    organization.delete()


def _check_grantable(by: User, organization: Organization, role: str) -> None:
    # A 网格长 may add 楼层长 and 成员 but must not make anyone — themselves included — a 文明办工作人员.
    if role not in grantable_roles(access.perms_at(by, organization)):
        raise access.PermissionDenied(_("您不能授予比自己权限更高的角色。"))


@transaction.atomic
def membership_create(
    *, by: User, organization: Organization, user: User, role: str, title: str = ""
) -> Membership:
    access.require(by, Perm.MEMBER_CHANGE, organization)
    _check_grantable(by, organization, role)
    if Membership.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError({"role": _("此人在该组织已担任这一角色。")})
    membership = Membership(user=user, organization=organization, role=role, title=title.strip())
    _save(membership, by=by)
    access.forget(user)
    from zhiyuan.accounts.invitations import person_added_tell

    # the person is told: an invitation to set a password, or a notice if they can already log in
    person_added_tell(by=by, user=user, organization=organization, role=role)
    return membership


@transaction.atomic
def membership_update(
    *, by: User, membership: Membership, role: str | None = None, title: str | None = None
) -> Membership:
    access.require(by, Perm.MEMBER_CHANGE, membership.organization)
    if role is not None and role != membership.role:
        _check_grantable(by, membership.organization, role)
        clash = Membership.objects.filter(
            user=membership.user_id, organization=membership.organization_id, role=role
        )
        if clash.exists():
            raise ValidationError({"role": _("此人在该组织已担任这一角色。")})
        membership.role = role
    if title is not None:
        membership.title = title.strip()
    _save(membership, by=by)
    return membership


@transaction.atomic
def membership_delete(*, by: User, membership: Membership) -> None:
    access.require(by, Perm.MEMBER_CHANGE, membership.organization)
    audit.attribute(membership, by)
    membership.delete()


@transaction.atomic
def contact_create(*, by: User, organization: Organization, **fields: Any) -> UnitContact:
    access.require(by, Perm.CONTACT_CHANGE, organization)
    category = fields.get("category")
    if category and UnitContact.objects.filter(organization=organization, category=category).exists():
        raise ValidationError({"category": _("该单位已填写此类别的联系人，请直接修改。")})
    contact = UnitContact(organization=organization, **fields)
    return _save(contact, by=by, unique_message=_("该单位已填写此类别的联系人，请直接修改。"))


@transaction.atomic
def contact_update(*, by: User, contact: UnitContact, **changes: Any) -> UnitContact:
    access.require(by, Perm.CONTACT_CHANGE, contact.organization)
    new_category = changes.get("category")
    if new_category and new_category != contact.category:
        taken = UnitContact.objects.filter(organization=contact.organization_id, category=new_category)
        if taken.exists():
            raise ValidationError({"category": _("该单位已填写此类别的联系人，请直接修改。")})
    for field, value in changes.items():
        if field not in CONTACT_FIELDS:
            raise ValidationError({field: _("不能修改此字段。")})
        setattr(contact, field, value)
    return _save(contact, by=by)


@transaction.atomic
def contact_delete(*, by: User, contact: UnitContact) -> None:
    access.require(by, Perm.CONTACT_CHANGE, contact.organization)
    audit.attribute(contact, by)
    contact.delete()


@transaction.atomic
def _belongs_elsewhere(person: User) -> bool:
    """A member of some unit or a volunteer with a home unit: their record is that unit's to open. Someone
    registered with no unit at all (e.g. a ticket claimant) holds nothing the typed name and mobile do
    not already say, so a unit may take them in (they are told through the member.added hand-off)."""
    from zhiyuan.people.models import Volunteer

    return (
        Membership.objects.filter(user=person).exists()
        or Volunteer.objects.filter(user=person, home_organization__isnull=False).exists()
    )


def person_find_or_create(*, by: User, full_name: str, mobile: str = "") -> User:
    """The account with this mobile, else a new one that cannot log in until it sets a password."""
    from zhiyuan.core import phones

    full_name = "".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("请填写姓名。")})
    if mobile:
        try:
            mobile = phones.normalise_mobile(mobile)
        except ValidationError as exc:
            raise ValidationError({"mobile": exc.messages}) from None
        existing = User.objects.filter(mobile=mobile).first()
        if existing is not None:
            if existing.full_name and existing.full_name != full_name:
                raise ValidationError({"mobile": _("该手机号已登记为其他人，请核对姓名或手机号。")})
            from zhiyuan.organizations.selectors import person_list

            if _belongs_elsewhere(existing) and not person_list(user=by).filter(pk=existing.pk).exists():
                # someone of another unit: attaching them would open their record to this unit without
                # their consent; they join by applying to a recruitment, or their own unit adds them
                raise ValidationError(
                    {"mobile": _("此人不在您的管理范围内，请由其本人报名加入，或由其所在单位添加。")}
                )
            return existing
    person = User(username=_unique_username(full_name), full_name=full_name, mobile=mobile)
    person.set_unusable_password()
    audit.attribute(person, by)
    person.save()
    return person


def _unique_username(full_name: str) -> str:
    from pypinyin import lazy_pinyin

    base = "".join(lazy_pinyin(full_name, errors="ignore")).lower() or "user"
    base = "".join(ch for ch in base if ch.isalnum())[:30] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def organization_set_seal(*, by: User, organization: Organization, upload: Any | None) -> Organization:
    """Set (or with no upload, remove) the seal image printed on the certificates this organisation issues.
    Checked and re-encoded like every upload; the old file goes once the change is committed."""
    access.require(by, Perm.ORG_CHANGE, organization)
    errors: dict[str, list[str]] = {}
    photo = images.prepare(upload, errors, "seal")
    if errors:
        raise ValidationError(errors)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    old = organization.seal.name or ""
    if photo is None:
        organization.seal = None
    else:
        images.attach(organization.seal, photo)
    audit.attribute(organization, by, reason=_("更换证明用章") if photo else _("移除证明用章"))
    organization.save()
    storage = organization.seal.storage
    transaction.on_commit(lambda: images.discard(storage, old))
    return organization
