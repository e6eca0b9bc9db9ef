"""Reads from the volunteer register, scoped through `core.access`.

A volunteer is visible to whoever holds the permission over the 文明办 of their residence area or over
any organisation they are a member of (their team's leader, the 支队's officer).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from zhiyuan.core import access
from zhiyuan.core.search import normalise_query
from zhiyuan.organizations.models import Membership
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer


def _scope(user: Any, perm: str) -> Q:
    if access.is_global(user):
        return Q()
    teams = Membership.objects.filter(user=OuterRef("user_id")).filter(
        access.scope(user, perm, via="organization")
    )
    return access.scope(user, perm, via="home_organization") | Q(Exists(teams))


def volunteer_list(
    *,
    user: Any,
    search: str = "",
    skill: str = "",
    team: int | None = None,
    district: int | None = None,
    perm: str = Perm.VOLUNTEER_VIEW,
) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.filter(_scope(user, perm)).exclude(status=Volunteer.Status.ANONYMISED)
    if search:
        needle = normalise_query(search)
        by_text = Q(user__search__contains=needle) | Q(number__iexact=needle)
        if needle.isdigit() and len(needle) >= 4:
            by_text |= Q(user__mobile__contains=needle)
        qs = qs.filter(by_text)
    if skill:
        qs = qs.filter(skills__code=skill)
    if team is not None:
        qs = qs.filter(Exists(Membership.objects.filter(user=OuterRef("user_id"), organization_id=team)))
    if district is not None:
        qs = qs.filter(home_organization_id=district)
    return (
        qs.select_related("user", "home_organization")
        .prefetch_related(Prefetch("skills"))
        .order_by("-created_at", "-pk")
    )


def volunteer_get(*, user: Any, number: str, perm: str = Perm.VOLUNTEER_VIEW) -> Volunteer:
    """By volunteer number; the volunteer themself may always see their own record."""
    if getattr(user, "pk", None) is not None:
        own = Volunteer.objects.filter(number=number, user_id=user.pk).select_related(
            "user", "home_organization"
        )
        if (found := own.first()) is not None:
            return found
    return access.get_or_404(volunteer_list(user=user, perm=perm), number=number)


def volunteer_teams(*, volunteer: Volunteer) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=volunteer.user_id)
        .select_related("organization")
        .order_by("organization__name")
    )
