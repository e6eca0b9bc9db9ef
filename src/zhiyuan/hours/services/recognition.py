"""表彰奖励 and 服务评价 (办法 Arts. 9–10): recorded by the units that manage a volunteer, shown to the
volunteer read-only.

Who may record: whoever holds `volunteer.change` over the volunteer — over their home 文明办 or over an
organisation they are a member of (`people.selectors.volunteer_list` decides, through `core.access`).
An evaluation is given in the name of one organisation, which must be one the recorder manages and one the
volunteer belongs to (their home area or a team they are in).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.hours.models import Award, Evaluation
from zhiyuan.organizations.models import Membership, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer
from zhiyuan.people.selectors.volunteers import volunteer_list

EARLIEST = date(1949, 10, 1)  # nothing the platform records predates the People's Republic


def volunteer_manageable(*, user: Any, volunteer: Volunteer) -> bool:
    return volunteer_list(user=user, perm=Perm.RECOGNITION_CHANGE).filter(pk=volunteer.pk).exists()


def evaluation_organizations(*, user: Any, volunteer: Volunteer) -> QuerySet[Organization]:
    """Organisations the user manages that the volunteer belongs to: their home area (and the offices
    above it, which cover it) and the teams they are members of (and the organisations above those)."""
    own_paths = list(
        Membership.objects.filter(user_id=volunteer.user_id).values_list("organization__path", flat=True)
    )
    home_path = Organization.objects.filter(pk=volunteer.home_organization_id).values_list("path", flat=True)
    ids = access.path_ids([*own_paths, *home_path])
    return access.organizations(user, Perm.RECOGNITION_CHANGE).filter(pk__in=ids).order_by("path")


def _check_date(value: date | None, field: str, errors: dict[str, list[str]]) -> None:
    if value is None:
        errors.setdefault(field, []).append(_("请填写日期。"))
    elif value > timezone.localdate():
        errors.setdefault(field, []).append(_("日期不能晚于今天。"))
    elif value < EARLIEST:
        errors.setdefault(field, []).append(_("日期有误。"))


@transaction.atomic
def award_record(*, by: User, volunteer: Volunteer, name: str, date: date | None, granted_by: str) -> Award:
    """Record an award the volunteer received; every bad field is reported at once."""
    if not volunteer_manageable(user=by, volunteer=volunteer):
        raise access.PermissionDenied(_("只有志愿者所在单位的负责人可以记录表彰奖励。"))
    name, granted_by = (name or "").strip(), (granted_by or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors.setdefault("name", []).append(_("请填写表彰奖励名称。"))
    elif len(name) > 200:
        errors.setdefault("name", []).append(_("名称不能超过200个字。"))
    if not granted_by:
        errors.setdefault("granted_by", []).append(_("请填写授予单位。"))
    elif len(granted_by) > 200:
        errors.setdefault("granted_by", []).append(_("授予单位不能超过200个字。"))
    _check_date(date, "date", errors)
    if errors:
        raise ValidationError(errors)
    assert date is not None
    # the volunteer's row serialises two officers entering the same award at once
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    if Award.objects.filter(volunteer=volunteer, name=name, date=date, granted_by=granted_by).exists():
        raise Refused(_("该志愿者已有这条表彰奖励记录。"))
    award = Award(volunteer=volunteer, name=name, date=date, granted_by=granted_by, recorded_by=by)
    audit.attribute(award, by)
    award.save()
    return award


@transaction.atomic
def evaluation_record(
    *,
    by: User,
    volunteer: Volunteer,
    organization: Organization | None,
    rating: int | None,
    date: date | None,
    note: str = "",
) -> Evaluation:
    """Record a 服务评价 of the volunteer's service quality in the name of `organization`."""
    if not volunteer_manageable(user=by, volunteer=volunteer):
        raise access.PermissionDenied(_("只有志愿者所在单位的负责人可以评价服务质量。"))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if (
        organization is None
        or not evaluation_organizations(user=by, volunteer=volunteer).filter(pk=organization.pk).exists()
    ):
        errors.setdefault("organization", []).append(_("请选择您负责、且该志愿者所属的单位。"))
    if rating not in Evaluation.Rating.values:
        errors.setdefault("rating", []).append(_("请选择评价等级。"))
    _check_date(date, "date", errors)
    if len(note) > 200:
        errors.setdefault("note", []).append(_("说明不能超过200个字。"))
    if errors:
        raise ValidationError(errors)
    assert organization is not None and rating is not None and date is not None
    evaluation = Evaluation(
        volunteer=volunteer, organization=organization, rating=rating, date=date, note=note, recorded_by=by
    )
    audit.attribute(evaluation, by)
    evaluation.save()
    return evaluation


def _visible_volunteers(user: Any) -> Q:
    return Q(Exists(volunteer_list(user=user).filter(pk=OuterRef("volunteer_id")).values("pk")))


def award_list(*, user: Any, volunteer: Volunteer | None = None) -> QuerySet[Award]:
    """Awards of the volunteers the user may see, newest first."""
    qs = Award.objects.all() if access.is_global(user) else Award.objects.filter(_visible_volunteers(user))
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    return qs.select_related("volunteer__user").order_by("-date", "-pk")


def evaluation_list(*, user: Any, volunteer: Volunteer | None = None) -> QuerySet[Evaluation]:
    qs = (
        Evaluation.objects.all()
        if access.is_global(user)
        else Evaluation.objects.filter(_visible_volunteers(user))
    )
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    return qs.select_related("volunteer__user", "organization").order_by("-date", "-pk")


def my_recognition(volunteer: Volunteer) -> tuple[list[Award], list[Evaluation]]:
    """What the volunteer sees of their own awards and evaluations (办法 Art. 12)."""
    awards = list(Award.objects.filter(volunteer=volunteer).order_by("-date", "-pk")[:50])
    evaluations = list(
        Evaluation.objects.filter(volunteer=volunteer)
        .select_related("organization")
        .order_by("-date", "-pk")[:50]
    )
    return awards, evaluations
