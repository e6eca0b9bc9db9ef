"""Reads for 招募公告 and applications.

The public sees published notices only. Officers see the notices of the organisations in their scope: a
notice belongs both to its publisher and to the team it recruits for, so the team's leader finds the
notices that fill their team even when the 文明办 above published them.

Every list carries its state as an annotation (`state`: open/full/expired/closed/draft/cancelled) so a page
or the API labels each row without another query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhiyuan.core import access
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Application, Recruitment, Volunteer

S = Recruitment.Status
PUBLIC_STATUSES = (S.PUBLISHED, S.CLOSED)
STATE_LABELS = {
    "open": gettext_lazy("招募中"),
    "full": gettext_lazy("已满"),
    "expired": gettext_lazy("已截止"),
    "closed": gettext_lazy("已结束"),
    "draft": gettext_lazy("草稿"),
    "cancelled": gettext_lazy("已取消"),
}


def _state_of(prefix: str = "") -> Case:
    """The notice's state as users name it; `prefix` reaches the notice from a related row."""
    now = timezone.now()
    return Case(
        When(**{f"{prefix}status": S.DRAFT}, then=Value("draft")),
        When(**{f"{prefix}status": S.CANCELLED}, then=Value("cancelled")),
        When(**{f"{prefix}status": S.CLOSED}, then=Value("closed")),
        When(**{f"{prefix}approved_count__gte": F(f"{prefix}wanted")}, then=Value("full")),
        When(**{f"{prefix}deadline__lte": now}, then=Value("expired")),
        default=Value("open"),
        output_field=CharField(),
    )


def _open_q() -> Q:
    return Q(status=S.PUBLISHED, deadline__gt=timezone.now(), approved_count__lt=F("wanted"))


def _pending_count() -> Coalesce:
    """Per-row count as a correlated subquery: computed for the page's rows only, not the whole scope."""
    rows = (
        Application.objects.filter(recruitment=OuterRef("pk"), status=Application.Status.PENDING)
        .order_by()
        .values("recruitment")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _with_details(qs: QuerySet[Recruitment]) -> QuerySet[Recruitment]:
    return (
        qs.select_related("organization", "team", "hours_recorder")
        .prefetch_related("skills")
        .annotate(places_left=F("wanted") - F("approved_count"))
    )


def recruitment_public_list(*, state: str = "open", search: str = "") -> QuerySet[Recruitment]:
    """Open notices, newest first; `state="closed"` gives the ones past their deadline, full or ended."""
    qs = Recruitment.objects.filter(status__in=PUBLIC_STATUSES)
    qs = qs.exclude(_open_q()) if state == "closed" else qs.filter(_open_q())
    if search.strip():
        needle = search.strip()
        qs = qs.filter(
            Q(title__icontains=needle) | Q(location__icontains=needle) | Q(team__name__icontains=needle)
        )
    return _with_details(qs).annotate(state=_state_of()).order_by("-published_at", "-pk")


def recruitment_public_get(*, pk: object) -> Recruitment:
    qs = _with_details(Recruitment.objects.filter(status__in=PUBLIC_STATUSES)).annotate(state=_state_of())
    return access.get_or_404(qs, pk=pk)


def _scope(user: Any, perm: str, prefix: str = "") -> Q:
    """A notice is in scope through its publisher or through the team it recruits for."""
    return access.scope(user, perm, via=f"{prefix}organization") | access.scope(
        user, perm, via=f"{prefix}team"
    )


def recruitment_list(
    *, user: Any, status: str = "", search: str = "", perm: str = Perm.VOLUNTEER_VIEW
) -> QuerySet[Recruitment]:
    qs = Recruitment.objects.filter(_scope(user, perm))
    if status:
        qs = qs.filter(status=status)
    if search.strip():
        qs = qs.filter(title__icontains=search.strip())
    return (
        _with_details(qs)
        .annotate(state=_state_of(), pending_count=_pending_count())
        .order_by("-created_at", "-pk")
    )


def recruitment_get(*, user: Any, pk: object, perm: str = Perm.VOLUNTEER_VIEW) -> Recruitment:
    """Out of the user's scope is not found (404), whatever its status."""
    return access.get_or_404(recruitment_list(user=user, perm=perm), pk=pk)


def application_list(
    *, user: Any, recruitment: Recruitment, status: str = "", perm: str = Perm.VOLUNTEER_VIEW
) -> QuerySet[Application]:
    qs = Application.objects.filter(_scope(user, perm, prefix="recruitment__"), recruitment=recruitment)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("recruitment", "volunteer__user", "decided_by").order_by(
        Case(When(status=Application.Status.PENDING, then=Value(0)), default=Value(1)), "created_at", "pk"
    )


def application_get(*, user: Any, pk: object, perm: str = Perm.VOLUNTEER_VIEW) -> Application:
    qs = Application.objects.filter(_scope(user, perm, prefix="recruitment__")).select_related(
        "volunteer__user", "decided_by", "recruitment__organization", "recruitment__team"
    )
    return access.get_or_404(qs, pk=pk)


def my_volunteer(*, user: Any) -> Volunteer | None:
    if not (user and user.is_authenticated):
        return None
    return Volunteer.objects.filter(user_id=user.pk).select_related("user").first()


def my_applications(*, user: Any) -> QuerySet[Application]:
    """The signed-in volunteer's applications, newest first, with each notice's state."""
    if not (user and user.is_authenticated):
        return Application.objects.none()
    return (
        Application.objects.filter(volunteer__user_id=user.pk)
        .select_related("recruitment__team", "volunteer__user")
        .annotate(recruitment_state=_state_of("recruitment__"))
        .order_by("-created_at", "-pk")
    )


def my_application_get(*, user: Any, pk: object) -> Application:
    return access.get_or_404(my_applications(user=user), pk=pk)


def my_application_for(*, user: Any, recruitment: Recruitment) -> Application | None:
    return my_applications(user=user).filter(recruitment=recruitment).first()
