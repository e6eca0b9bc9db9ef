"""Reads for training (培训), scoped through `core.access`.

Who sees a course:
- whoever holds 查看志愿者 over its 举办单位 (the officers and leaders of that subtree), and
- every member of an organisation the course reaches: organised by, or required for, an organisation on the
  path of one of their memberships. A 支队's course thereby reaches the members of its teams below, and the
  volunteers of a team see what their 支队 requires of them.

Who manages a course: whoever holds 管理组织 or 管理志愿者 at its 举办单位.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhiyuan.core import access
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import (
    TrainingAttendance,
    TrainingCompletion,
    TrainingCourse,
    TrainingMaterial,
    TrainingSession,
    Volunteer,
)

VIEW_PERM = Perm.VOLUNTEER_VIEW  # the attendance sheet names volunteers
MANAGE_PERMS = (Perm.TRAINING_CHANGE,)
RequiredFor = TrainingCourse.required_for.through
UPCOMING_LIMIT = 20


def can_manage(user: Any, organization: Organization) -> bool:
    return access.can_any(user, MANAGE_PERMS, organization)


def manages_any(user: Any) -> bool:
    return access.holds_any(user, MANAGE_PERMS)


def manageable_organizations(user: Any) -> QuerySet[Organization]:
    return access.organizations_any(user, MANAGE_PERMS)


def member_organization_ids(user_id: int | None) -> set[int]:
    """Every organisation on the path of the person's memberships, their own included. One query."""
    if user_id is None:
        return set()
    return access.path_ids(
        Membership.objects.filter(user_id=user_id).values_list("organization__path", flat=True)
    )


def _reaching(org_ids: Collection[int]) -> Q:
    """Courses organised by, or required for, one of these organisations."""
    required = RequiredFor.objects.filter(organization_id__in=org_ids).values("trainingcourse_id")
    return Q(organizer_id__in=org_ids) | Q(pk__in=required)


def _visible(user: Any) -> QuerySet[TrainingCourse]:
    q = access.scope(user, VIEW_PERM, via="organizer")
    if not access.is_global(user):
        ids = member_organization_ids(getattr(user, "pk", None))
        if ids:
            q |= _reaching(ids)
    return TrainingCourse.objects.filter(q)


def _count(model: Any, fk: str, **filters: Any) -> Coalesce:
    """A per-row count as a correlated subquery, evaluated only for the rows of the page."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def course_list(*, user: Any, search: str = "") -> QuerySet[TrainingCourse]:
    qs = _visible(user)
    if search.strip():
        qs = qs.filter(name__icontains=search.strip())
    return (
        qs.select_related("organizer")
        .annotate(session_count=_count(TrainingSession, "course"))
        .order_by("-date", "name", "pk")
    )


def course_get(*, user: Any, pk: object) -> TrainingCourse:
    return access.get_or_404(course_list(user=user), pk=pk)


def course_required_for(*, course: TrainingCourse) -> list[Organization]:
    return list(course.required_for.order_by("path"))


def material_list(*, course: TrainingCourse) -> QuerySet[TrainingMaterial]:
    return course.materials.order_by("created_at", "pk")


def material_get(*, user: Any, pk: object) -> TrainingMaterial:
    qs = TrainingMaterial.objects.filter(course__in=_visible(user)).select_related("course__organizer")
    return access.get_or_404(qs, pk=pk)


def material_filename(material: TrainingMaterial) -> str:
    """The name a download gets: the title, with the extension the content was checked to be."""
    return f"{material.title}{PurePath(material.file.name or '').suffix}"


def _with_counts(qs: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return qs.annotate(
        registered=_count(TrainingAttendance, "session"),
        attended=_count(TrainingAttendance, "session", status=TrainingAttendance.Status.ATTENDED),
    )


def session_list(*, course: TrainingCourse) -> QuerySet[TrainingSession]:
    return _with_counts(TrainingSession.objects.filter(course=course)).order_by("starts_at", "pk")


def session_get(*, user: Any, pk: object) -> TrainingSession:
    qs = TrainingSession.objects.filter(course__in=_visible(user)).select_related("course__organizer")
    return access.get_or_404(_with_counts(qs), pk=pk)


def attendance_sheet(*, session: TrainingSession) -> QuerySet[TrainingAttendance]:
    """Everyone registered for a session, for the bulk attendance sheet."""
    return (
        TrainingAttendance.objects.filter(session=session)
        .select_related("volunteer__user")
        .order_by("volunteer__number")
    )


def attendance_of(*, session: TrainingSession, volunteer: Volunteer | None) -> TrainingAttendance | None:
    if volunteer is None:
        return None
    return TrainingAttendance.objects.filter(session=session, volunteer=volunteer).first()


def _missing(volunteer: Volunteer, org_ids: Collection[int]) -> QuerySet[TrainingCourse]:
    required = RequiredFor.objects.filter(organization_id__in=org_ids).values("trainingcourse_id")
    done = TrainingCompletion.objects.filter(volunteer=volunteer).values("course_id")
    return TrainingCourse.objects.filter(pk__in=required).exclude(pk__in=done)


def required_training(volunteer: Volunteer) -> QuerySet[TrainingCourse]:
    """Courses required for an organisation on the path of any of the volunteer's memberships (a
    requirement on a 支队 applies to its teams below), minus those completed. Two queries."""
    org_ids = member_organization_ids(volunteer.user_id)
    return _missing(volunteer, org_ids).select_related("organizer").order_by("date", "name", "pk")


def has_completed_required(volunteer: Volunteer, organization: Organization) -> bool:
    """Whether the volunteer has completed everything required for `organization` and the organisations
    above it, e.g. before signing up for a shift of that team. One query."""
    return not _missing(volunteer, [*organization.ancestor_ids, organization.pk]).exists()


def completed_training(volunteer: Volunteer) -> QuerySet[TrainingCompletion]:
    return (
        TrainingCompletion.objects.filter(volunteer=volunteer)
        .select_related("course__organizer")
        .order_by("-completed_on", "-pk")
    )


@dataclass
class MyTraining:
    required: list[TrainingCourse]
    completed: list[TrainingCompletion]
    upcoming: list[TrainingSession]


def my_training(volunteer: Volunteer, *, upcoming_limit: int = UPCOMING_LIMIT) -> MyTraining:
    """What a volunteer sees: required and still missing, completed, and the next sessions they may join
    (of courses that reach them and that they have not completed). Four queries at any size."""
    org_ids = member_organization_ids(volunteer.user_id)
    required = list(_missing(volunteer, org_ids).select_related("organizer").order_by("date", "name", "pk"))
    completed = list(completed_training(volunteer))
    done = {c.course_id for c in completed}
    reaching = TrainingCourse.objects.filter(_reaching(org_ids)).exclude(pk__in=done).values("pk")
    mine = TrainingAttendance.objects.filter(session=OuterRef("pk"), volunteer=volunteer)
    upcoming = (
        _with_counts(TrainingSession.objects.filter(course__in=reaching, starts_at__gt=timezone.now()))
        .annotate(is_registered=Exists(mine))
        .select_related("course")
        .order_by("starts_at", "pk")[:upcoming_limit]
    )
    return MyTraining(required=required, completed=completed, upcoming=list(upcoming) if org_ids else [])
