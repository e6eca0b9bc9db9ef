"""What the community services share: collecting field errors, notifying after commit, who to notify."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhiyuan.core import access, phones
from zhiyuan.core.models import User
from zhiyuan.core.permissions import roles_granting
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm

Errors = dict[str, list[str]]


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def text(value: Any, field: str, limit: int, errors: Errors, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        add(errors, field, required)
    elif len(value) > limit:
        add(errors, field, _("不能超过%(n)d个字。") % {"n": limit})
    return str(value)


def phone(value: Any, field: str, errors: Errors, required: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            add(errors, field, _("请填写联系电话。"))
        return ""
    try:
        return phones.normalise_any(value)
    except ValidationError as exc:
        add(errors, field, exc.messages[0])
        return value


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def require_change(by: Any, organization: Organization, message: str = "") -> None:
    if not access.can(by, Perm.COMMUNITY_CHANGE, organization):
        raise access.PermissionDenied(message or None)


def handlers(organization: Organization) -> list[User]:
    """Who handles community work for `organization`: its own managers, or, when it has none, those of the
    nearest organisation above it that has some."""
    roles = roles_granting(Perm.COMMUNITY_CHANGE)
    ids = [*organization.ancestor_ids, organization.pk]
    found = Membership.objects.filter(organization_id__in=ids, role__in=roles).select_related(
        "user", "organization"
    )
    by_depth: dict[int, list[User]] = {}
    for m in found:
        if m.user.is_active:
            by_depth.setdefault(m.organization.depth, []).append(m.user)
    if not by_depth:
        return []
    users = by_depth[max(by_depth)]
    return list({u.pk: u for u in users}.values())
