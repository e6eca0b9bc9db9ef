"""Reads for 班次, 报名, 候补 and 换班, scoped through `core.access`.

Who sees a shift:
- whoever holds 查看组织 over its organisation (the members, volunteers and leaders of that subtree), and
- the members of the organisations below it: a shift the 郑东新区文明办 or a 支队 lays out is open to the
  volunteers of the teams under it, as their required training is (people.selectors.training).
Who sees who signed up: whoever holds 查看志愿者 over the shift's organisation, and each volunteer their own.

Every list carries its counts and the caller's own status as annotations, so a calendar of a thousand
shifts costs the same handful of queries as one of ten.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhiyuan.campaigns.models import RecurringShift, Shift, Signup, Station, SwapRequest
from zhiyuan.campaigns.selectors.stations import visible_stations
from zhiyuan.core import access
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

ROSTER_PERM = Perm.ATTENDANCE_VIEW  # the roster names volunteers: who is coming, who came
ASSIGN_PERM = Perm.SHIFT_ASSIGN  # putting someone else on a shift, or taking them off
MANAGE_PERMS = (Perm.SHIFT_CHANGE,)
S = Signup.Status
LIVE = (S.ACCEPTED, S.WAITLISTED)


def can_manage(user: Any, organization: Organization) -> bool:
    """May lay out and change the organisation's shifts."""
    return access.can_any(user, MANAGE_PERMS, organization)


def manages_any(user: Any) -> bool:
    return access.holds_any(user, MANAGE_PERMS)


def manageable_organizations(user: Any) -> QuerySet[Organization]:
    return access.organizations_any(user, MANAGE_PERMS)


def _visible(user: Any, prefix: str = "") -> Q:
    """Shifts of the user's subtrees and of the organisations above them. Reads the cached grants only:
    every role includes 查看班次, so the paths of its roots name every organisation above a membership."""
    if access.is_global(user):
        return Q()
    above = access.path_ids(access.roots(user, Perm.SHIFT_VIEW))
    return access.scope(user, Perm.SHIFT_VIEW, via=f"{prefix}organization") | Q(
        **{f"{prefix}organization_id__in": above}
    )


def visible_q(user: Any) -> Q:
    """The filter `shift_get` applies: for other apps that list shifts and link to them."""
    return _visible(user)


def _count(model: Any, fk: str, **filters: Any) -> Coalesce:
    """A per-row count as a correlated subquery, evaluated only for the rows shown."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _mine(user: Any, field: str) -> Subquery | Value:
    """The caller's own live sign-up on each shift (its status or id), or None."""
    if not (user and user.is_authenticated):
        return Value(None)
    own = Signup.objects.filter(shift=OuterRef("pk"), volunteer__user_id=user.pk, status__in=LIVE)
    return Subquery(own.values(field)[:1])


def _annotated(qs: QuerySet[Shift], user: Any) -> QuerySet[Shift]:
    return qs.select_related("station__campaign", "organization").annotate(
        waitlisted_count=_count(Signup, "shift", status=S.WAITLISTED),
        my_status=_mine(user, "status"),
        my_signup_id=_mine(user, "pk"),
    )


def shift_list(
    *,
    user: Any,
    station: int | None = None,
    organization: Organization | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[Shift]:
    """Shifts the user may see, in time order; `organization` keeps its whole subtree, `start`/`end`
    keep the shifts that overlap the period."""
    qs = Shift.objects.filter(_visible(user))
    if station is not None:
        qs = qs.filter(station_id=station)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    return _annotated(qs, user).prefetch_related("required_skills").order_by("starts_at", "pk")


def shift_get(*, user: Any, pk: object) -> Shift:
    """Out of the user's sight is not found (404)."""
    qs = _annotated(Shift.objects.filter(_visible(user)), user).prefetch_related(
        "required_skills", "required_courses"
    )
    return access.get_or_404(qs, pk=pk)


def shift_visible_to(*, user: Any, shift: Shift) -> bool:
    return Shift.objects.filter(_visible(user), pk=shift.pk).exists()


def station_choices(*, user: Any) -> QuerySet[Station]:
    """Stations a shift may be placed at: those the user sees (campaigns.selectors.stations: their
    subtrees' stations and those their teams are linked to) and those of the 文明办 above them, so a team
    leader can lay out shifts at the district's station."""
    if access.is_global(user):
        return Station.objects.select_related("campaign").order_by("name", "pk")
    above = access.path_ids(access.roots(user, Perm.SHIFT_VIEW))
    seen = visible_stations(user).values("pk")
    return (
        Station.objects.filter(Q(pk__in=seen) | Q(responsible_office_id__in=above))
        .select_related("campaign")
        .order_by("name", "pk")
    )


def calendar_organizations(*, user: Any) -> QuerySet[Organization]:
    """What the calendar's organisation filter offers: the organisations whose shifts the user sees."""
    if access.is_global(user):
        return Organization.objects.order_by("path")
    above = access.path_ids(access.roots(user, Perm.SHIFT_VIEW))
    return Organization.objects.filter(access.scope(user, Perm.SHIFT_VIEW) | Q(pk__in=above)).order_by("path")


# --- sign-ups ---------------------------------------------------------------------------------------------


def _position() -> Subquery:
    """A waitlisted sign-up's place in the queue: 1 + those who signed up before it (created_at, pk)."""
    ahead = Signup.objects.filter(shift=OuterRef("shift_id"), status=S.WAITLISTED).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
    )
    return Subquery(
        ahead.order_by().values("shift").annotate(n=Count("*")).values("n"), output_field=IntegerField()
    )


def waitlist_position(signup: Signup) -> int | None:
    if signup.status != S.WAITLISTED:
        return None
    return (
        Signup.objects.filter(shift_id=signup.shift_id, status=S.WAITLISTED)
        .filter(Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lte=signup.pk))
        .count()
    )


def roster(*, shift: Shift) -> list[Signup]:
    """Accepted first, then the waiting list in its order; each carries `position` (None if accepted)."""
    rows = list(
        Signup.objects.filter(shift=shift, status__in=LIVE)
        .select_related("volunteer__user", "assigned_by")
        .order_by("status", "created_at", "pk")  # "accepted" sorts before "waitlisted"
    )
    place = 0
    for row in rows:
        place += row.status == S.WAITLISTED
        row.position = place if row.status == S.WAITLISTED else None  # type: ignore[attr-defined]
    return rows


def signup_list(*, user: Any, shift: Shift) -> QuerySet[Signup]:
    """The roster of a shift the user may see the volunteers of; others get nothing."""
    qs = Signup.objects.filter(
        access.scope(user, ROSTER_PERM, via="shift__organization"), shift=shift, status__in=LIVE
    )
    return (
        qs.select_related("shift__station__campaign", "shift__organization", "volunteer__user")
        .annotate(position=_position())
        .order_by("status", "created_at", "pk")
    )


def my_signup(*, user: Any, shift: Shift) -> Signup | None:
    if not (user and user.is_authenticated):
        return None
    return Signup.objects.filter(shift=shift, volunteer__user_id=user.pk, status__in=LIVE).first()


def _signups_of(user: Any) -> QuerySet[Signup]:
    """The user's own sign-ups, and those on shifts whose volunteers the user may see."""
    own = Q(volunteer__user_id=user.pk) if user and user.is_authenticated else Q(pk__in=[])
    return Signup.objects.filter(own | access.scope(user, ROSTER_PERM, via="shift__organization"))


def signup_get(*, user: Any, pk: object) -> Signup:
    qs = _signups_of(user).select_related(
        "shift__organization", "shift__station__campaign", "volunteer__user"
    )
    return access.get_or_404(qs.annotate(position=_position()), pk=pk)


def my_shifts(*, user: Any, past: bool = False, now: datetime | None = None) -> QuerySet[Signup]:
    """The signed-in volunteer's live sign-ups: upcoming (not yet ended) soonest first, or past ones
    latest first, each with its place on the waiting list."""
    if not (user and user.is_authenticated):
        return Signup.objects.none()
    now = now or timezone.now()
    qs = Signup.objects.filter(volunteer__user_id=user.pk, status__in=LIVE)
    qs = qs.filter(shift__ends_at__lte=now) if past else qs.filter(shift__ends_at__gt=now)
    order = ("-shift__starts_at", "-pk") if past else ("shift__starts_at", "pk")
    return (
        qs.select_related("shift__station__campaign", "shift__organization", "volunteer__user")
        .annotate(position=_position())
        .order_by(*order)
    )


# --- swaps and recurring shifts ---------------------------------------------------------------------------


def swap_list(*, shift: Shift, pending_only: bool = True) -> QuerySet[SwapRequest]:
    qs = SwapRequest.objects.filter(signup__shift=shift)
    if pending_only:
        qs = qs.filter(status=SwapRequest.Status.PENDING)
    return qs.select_related("signup__volunteer__user", "to_volunteer__user", "signup__shift").order_by(
        "created_at", "pk"
    )


def swap_get(*, user: Any, pk: object) -> SwapRequest:
    """Leaders of the shift's organisation, the requester and the volunteer named see a swap request."""
    q = access.scope(user, ROSTER_PERM, via="signup__shift__organization")
    if user and user.is_authenticated:
        q |= Q(signup__volunteer__user_id=user.pk) | Q(to_volunteer__user_id=user.pk)
    qs = SwapRequest.objects.filter(q).select_related(
        "signup__shift__organization", "signup__volunteer__user", "to_volunteer__user"
    )
    return access.get_or_404(qs, pk=pk)


def pending_swap_of(*, signup: Signup) -> SwapRequest | None:
    return SwapRequest.objects.filter(signup=signup, status=SwapRequest.Status.PENDING).first()


def recurring_list(*, user: Any) -> QuerySet[RecurringShift]:
    q = Q(pk__in=[])
    for perm in MANAGE_PERMS:
        q |= access.scope(user, perm, via="organization")
    return (
        RecurringShift.objects.filter(q)
        .select_related("organization", "station")
        .annotate(shift_count=_count(Shift, "recurrence"))
        .order_by("-valid_from", "pk")
    )


def recurring_get(*, user: Any, pk: object) -> RecurringShift:
    return access.get_or_404(recurring_list(user=user), pk=pk)
