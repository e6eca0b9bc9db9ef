"""Who is told: the look-ups hand-offs share. Each returns active users, ordered, each once; one query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zhiyuan.core.models import User
from zhiyuan.core.permissions import roles_granting
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Role

TEAM_LEADERS = (Role.LEADER, Role.SQUADRON_LEADER, Role.DEPUTY_SQUADRON_LEADER)


def holders(organization_ids: Iterable[int], roles: Iterable[str]) -> list[User]:
    """People holding one of `roles` at one of these organisations (held there, not inherited)."""
    ids = [pk for pk in organization_ids if pk]
    if not ids:
        return []
    return list(
        User.objects.filter(
            is_active=True, memberships__organization_id__in=ids, memberships__role__in=list(roles)
        )
        .distinct()
        .order_by("pk")
    )


def granted(organization_ids: Iterable[int], perm: str) -> list[User]:
    """People whose role at one of these organisations grants `perm` there."""
    return holders(organization_ids, roles_granting(perm))


def team_leaders(team: Organization | int | None) -> list[User]:
    """队长, 中队长 and 副中队长 of a team."""
    pk = team.pk if isinstance(team, Organization) else team
    return holders([pk] if pk else [], TEAM_LEADERS)


def nearest_with(organization: Organization, perm: str, *, include_self: bool = False) -> list[User]:
    """The holders of `perm` at the closest organisation above (or at) `organization` that has any:
    "the 文明办 above" without naming its level."""
    chain = list(reversed(organization.ancestor_ids))
    if include_self:
        chain.insert(0, organization.pk)
    if not chain:
        return []
    roles = roles_granting(perm)
    rows = (
        User.objects.filter(
            is_active=True, memberships__organization_id__in=chain, memberships__role__in=roles
        )
        .values_list("pk", "memberships__organization_id")
        .distinct()
    )
    by_org: dict[int, set[int]] = {}
    for user_id, org_id in rows:
        by_org.setdefault(org_id, set()).add(user_id)
    for org_id in chain:
        if org_id in by_org:
            return list(User.objects.filter(pk__in=by_org[org_id]).order_by("pk"))
    return []


def users(*people: Any) -> list[Any]:
    """The people given, None left out, each once in order."""
    seen: dict[int, Any] = {}
    for p in people:
        if p is not None and p.pk not in seen:
            seen[p.pk] = p
    return list(seen.values())
