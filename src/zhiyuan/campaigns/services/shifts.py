"""班次 / 报名 / 候补 / 换班: leaders lay out shifts, volunteers sign up or are assigned, a full shift keeps a
waiting list that moves up on a cancellation, and two volunteers swap a place with a leader's approval.

Who may do what:
- lay out and change a shift: 管理组织 or 管理志愿者 at its organisation;
- sign up and cancel: a volunteer for themself, until the shift's cut-off (`cutoff_hours` before it starts);
- assign or take off someone else, decide a swap: 管理志愿者 at the shift's organisation, until it starts.

Capacity holds under any number of simultaneous sign-ups: every write to a shift's sign-ups first locks
the shift row (SELECT … FOR UPDATE on PostgreSQL; on SQLite, BEGIN IMMEDIATE serialises writers), then the
volunteer's row, always in that order, so one person's two overlapping sign-ups cannot both pass either.
The `shift_not_overbooked` check constraint is the last line of defence behind the lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Shift, Signup, SwapRequest
from zhiyuan.campaigns.selectors import shifts as selectors
from zhiyuan.campaigns.services import shift_handoffs
from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Skill, TrainingCourse, Volunteer
from zhiyuan.people.models.volunteer import ADULT_AGE
from zhiyuan.people.selectors.training import has_completed_required

Errors = dict[str, list[str]]
S = Signup.Status
EDITABLE_FIELDS = (
    "organization",
    "station",
    "title",
    "starts_at",
    "ends_at",
    "capacity",
    "minimum",
    "minors_allowed",
    "cutoff_hours",
)
MAX_LENGTH = timedelta(hours=24)
MAX_CUTOFF_HOURS = 720
REASON_MAX = 200
SELF = ("self",)  # lock the row itself, never the rows select_related joins in


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _require_manage(user: User, organization: Organization) -> None:
    if not selectors.can_manage(user, organization):
        raise access.PermissionDenied()


# --- laying out shifts ------------------------------------------------------------------------------------


def _check_times(s: Shift, errors: Errors, changed: set[str]) -> None:
    if not s.starts_at:
        _add(errors, "starts_at", _("请填写开始时间。"))
    elif {"starts_at", "ends_at"} & changed and s.starts_at <= timezone.now():
        _add(errors, "starts_at", _("开始时间须晚于当前时间。"))
    if not s.ends_at:
        _add(errors, "ends_at", _("请填写结束时间。"))
    elif s.starts_at and s.ends_at <= s.starts_at:
        _add(errors, "ends_at", _("结束时间须晚于开始时间。"))
    elif s.starts_at and s.ends_at - s.starts_at > MAX_LENGTH:
        _add(errors, "ends_at", _("一个班次不能超过24小时，请分成几个班次。"))


def _check_numbers(s: Shift, errors: Errors) -> None:
    if s.capacity is None or s.capacity < 1:
        _add(errors, "capacity", _("名额至少为1人。"))
    elif s.capacity < s.accepted_count:
        _add(errors, "capacity", _("已有%(n)d人报名，名额不能少于已报名人数。") % {"n": s.accepted_count})
    if s.minimum is None or s.minimum < 0:
        _add(errors, "minimum", _("最少人数不能为负数。"))
    elif s.capacity and s.minimum > s.capacity:
        _add(errors, "minimum", _("最少人数不能多于名额。"))
    if s.cutoff_hours is None or not 0 <= s.cutoff_hours <= MAX_CUTOFF_HOURS:
        _add(errors, "cutoff_hours", _("截止时间应为开始前0到720小时。"))


def shift_problems(*, by: User, shift: Shift, changed: Iterable[str] = EDITABLE_FIELDS) -> Errors:
    """Everything wrong with an (unsaved) shift, per field, in Chinese. Writes nothing. A reference kept
    as it is is not checked against the editor's scope again."""
    s, fields = shift, set(changed)
    errors: Errors = {}
    s.title = (s.title or "").strip()
    if not s.title:
        _add(errors, "title", _("请填写班次名称。"))
    if not s.organization_id:
        _add(errors, "organization", _("请选择组织单位。"))
    elif "organization" in fields and not selectors.can_manage(by, s.organization):
        _add(errors, "organization", _("所选组织不存在或您无权为其安排班次。"))
    if (
        s.station_id
        and "station" in fields
        and not selectors.station_choices(user=by).filter(pk=s.station_id).exists()
    ):
        _add(errors, "station", _("所选站点不存在。"))
    _check_times(s, errors, fields)
    _check_numbers(s, errors)
    try:  # lengths and the like; the rules above give better messages for what they cover
        references = ["organization", "station", "campaign", "duty", "recurrence"]
        s.full_clean(exclude=[*errors, *references], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _save(instance: Any, by: User, reason: str = "") -> Any:
    audit.attribute(instance, by, reason)
    instance.save()
    return instance


@transaction.atomic
def shift_create(
    *,
    by: User,
    organization: Organization | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    station: Any = None,
    minimum: int = 0,
    minors_allowed: bool = False,
    cutoff_hours: int = 12,
    required_skills: Iterable[Skill] = (),
    required_courses: Iterable[TrainingCourse] = (),
) -> Shift:
    if organization is not None and access.can(by, Perm.ORG_VIEW, organization):
        _require_manage(by, organization)  # visible but not theirs to lay out: 403
    shift = Shift(
        organization=organization,
        station=station,
        campaign_id=station.campaign_id if station is not None else None,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        minimum=minimum,
        minors_allowed=minors_allowed,
        cutoff_hours=cutoff_hours,
    )
    errors = shift_problems(by=by, shift=shift)
    if errors:
        raise ValidationError(errors)
    _save(shift, by)
    shift.required_skills.set(required_skills)
    shift.required_courses.set(required_courses)
    return shift


def _locked(shift: Shift) -> Shift:
    # of=self: lock the shift only, not its organisation (every shift of a team would queue on it);
    # no_key: rows that merely reference the shift are not blocked
    return (
        Shift.objects.select_for_update(no_key=True, of=SELF).select_related("organization").get(pk=shift.pk)
    )


@transaction.atomic
def shift_update(
    *,
    by: User,
    shift: Shift,
    required_skills: Iterable[Skill] | None = None,
    required_courses: Iterable[TrainingCourse] | None = None,
    **changes: Any,
) -> Shift:
    """Change a shift that has not started. More places move the waiting list up at once."""
    _require_manage(by, shift.organization)
    s = _locked(shift)
    if s.cancelled_at is not None:
        raise Refused(_("班次已取消，不能再修改。"))
    if s.starts_at <= timezone.now():
        raise Refused(_("班次已开始，不能再修改。"))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("不能修改此字段。") for field in sorted(unknown)})
    changed = {f for f, value in changes.items() if getattr(s, f) != value}
    for field, value in changes.items():
        setattr(s, field, value)
    if "station" in changed and s.station is not None:
        s.campaign_id = s.station.campaign_id
    errors = shift_problems(by=by, shift=s, changed=changed)
    if errors:
        raise ValidationError(errors)
    _save(s, by)
    if required_skills is not None:
        s.required_skills.set(required_skills)
    if required_courses is not None:
        s.required_courses.set(required_courses)
    shift_handoffs.tell_promoted(s, _promote(s, by))
    shift_handoffs.tell_changed(s, changed)
    return s


# --- the sign-up rules ------------------------------------------------------------------------------------


def _shift_day(shift: Shift) -> Any:
    return timezone.localtime(shift.starts_at).date()  # Beijing wall-clock date


def signup_refusals(*, shift: Shift, volunteer: Volunteer, for_self: bool = True) -> list[str]:
    """Why `volunteer` may not take a place on `shift`, in Chinese; empty when they may. The cut-off binds
    volunteers acting for themselves; a leader may still assign until the shift starts."""
    if volunteer.status == Volunteer.Status.ANONYMISED:
        return [_("该志愿者资料已匿名化，不能报名。")]
    if shift.cancelled_at is not None:
        return [_("本班次已取消，不能报名。")]
    reasons: list[str] = []
    now = timezone.now()
    if now >= shift.starts_at:
        reasons.append(_("班次已开始，不能再报名。"))
    elif for_self and now > shift.starts_at - timedelta(hours=shift.cutoff_hours):
        reasons.append(_("报名已截止：班次开始前%(h)d小时内不能报名。") % {"h": shift.cutoff_hours})
    # the age on the day of the shift: a volunteer who turns 18 by then is an adult for it
    if not shift.minors_allowed and volunteer.age_on(_shift_day(shift)) < ADULT_AGE:
        reasons.append(_("本班次不接受未成年人（未满18周岁）报名。"))
    missing_skills = shift.required_skills.exclude(volunteers=volunteer).order_by("pk")
    if names := [s.name for s in missing_skills]:
        reasons.append(_("本班次需要以下技能：%(names)s。") % {"names": "、".join(names)})
    if names := missing_training(shift, volunteer):
        reasons.append(_("须先完成培训：%(names)s。") % {"names": "、".join(names)})
    clash = (
        Signup.objects.filter(
            volunteer=volunteer,
            status=S.ACCEPTED,
            shift__starts_at__lt=shift.ends_at,
            shift__ends_at__gt=shift.starts_at,
        )
        .exclude(shift=shift)
        .select_related("shift")
        .first()
    )
    if clash is not None:
        reasons.append(
            _("与已报名的班次“%(title)s”（%(when)s）时间冲突。")
            % {"title": clash.shift.title, "when": f"{timezone.localtime(clash.shift.starts_at):%m-%d %H:%M}"}
        )
    return reasons


def missing_training(shift: Shift, volunteer: Volunteer) -> list[str]:
    """The shift's own courses and everything required for its organisation and those above it
    (people.selectors.training.has_completed_required), not yet completed."""
    missing = list(shift.required_courses.exclude(completions__volunteer=volunteer))
    organization = shift.organization
    if not has_completed_required(volunteer, organization):
        required = TrainingCourse.objects.filter(
            required_for__in=[*organization.ancestor_ids, organization.pk]
        ).exclude(completions__volunteer=volunteer)
        missing += [c for c in required.distinct() if c not in missing]
    return [c.name for c in sorted(missing, key=lambda c: (c.date, c.pk))]


def _refuse(reasons: list[str], who: str = "") -> None:
    if reasons:
        prefix = _("%(name)s不能接替：") % {"name": who} if who else ""
        raise Refused(prefix + "；".join(r.rstrip("。") for r in reasons) + "。")


def _set_count(shift: Shift, delta: int) -> None:
    # a counter, derived from the sign-ups whose own history says who and when: no history row per place
    if delta:
        Shift.objects.filter(pk=shift.pk).update(
            accepted_count=F("accepted_count") + delta, updated_at=timezone.now()
        )
        shift.accepted_count += delta


def _lock_volunteer(volunteer_id: int) -> Volunteer:
    return (
        Volunteer.objects.select_for_update(no_key=True, of=SELF).select_related("user").get(pk=volunteer_id)
    )


# --- signing up, cancelling, the waiting list -------------------------------------------------------------


@transaction.atomic
def signup_create(*, by: User, shift: Shift, volunteer: Volunteer) -> Signup:
    """Put a volunteer on a shift, or on its waiting list when it is full."""
    for_self = by.pk == volunteer.user_id
    if not for_self and not access.can(by, selectors.ASSIGN_PERM, shift.organization):
        raise access.PermissionDenied(_("只能为自己报名；安排其他志愿者需要管理志愿者的权限。"))
    shift = _locked(shift)  # serialises racing sign-ups
    volunteer = _lock_volunteer(volunteer.pk)  # and one person's sign-ups for overlapping shifts
    existing = Signup.objects.filter(shift=shift, volunteer=volunteer, status__in=selectors.LIVE).first()
    if existing is not None:
        raise Refused(_("已报名本班次（%(status)s）。") % {"status": existing.get_status_display()})
    _refuse(signup_refusals(shift=shift, volunteer=volunteer, for_self=for_self))
    status = S.ACCEPTED if shift.accepted_count < shift.capacity else S.WAITLISTED
    signup = Signup(shift=shift, volunteer=volunteer, status=status, assigned_by=None if for_self else by)
    try:
        with transaction.atomic():
            _save(signup, by, "" if for_self else _("队长安排"))
    except IntegrityError:  # only without the row lock (never on PostgreSQL): the constraint decides
        raise Refused(_("已报名本班次。")) from None
    _set_count(shift, 1 if status == S.ACCEPTED else 0)
    shift_handoffs.tell_assigned(signup, by)
    return signup


def _promote(shift: Shift, by: User) -> list[Signup]:
    """Fill free places from the waiting list in order (created_at, pk), skipping whoever may no longer
    take it (a clash with a shift accepted meanwhile, training now missing); they keep their place."""
    promoted: list[Signup] = []
    free = shift.capacity - shift.accepted_count
    if free <= 0:
        return promoted
    waiting = Signup.objects.filter(shift=shift, status=S.WAITLISTED).order_by("created_at", "pk")
    for candidate in waiting:
        if len(promoted) == free:
            break
        volunteer = _lock_volunteer(candidate.volunteer_id)
        if signup_refusals(shift=shift, volunteer=volunteer, for_self=False):
            continue
        candidate.status = S.ACCEPTED
        promoted.append(_save(candidate, by, _("候补递补")))
    _set_count(shift, len(promoted))
    return promoted


@transaction.atomic
def signup_cancel(*, by: User, signup: Signup, reason: str = "") -> Signup:
    """Give a place back; the first on the waiting list who may take it gets it in the same transaction."""
    shift = _locked(signup.shift)  # the shift first, as every sign-up writer does
    signup = Signup.objects.select_for_update(of=SELF).select_related("volunteer").get(pk=signup.pk)
    for_self = by.pk == signup.volunteer.user_id
    if not for_self and not access.can(by, selectors.ASSIGN_PERM, shift.organization):
        raise access.PermissionDenied(_("只能取消自己的报名。"))
    if signup.status == S.CANCELLED:
        raise Refused(_("该报名已取消。"))
    now = timezone.now()
    if now >= shift.starts_at:
        raise Refused(_("班次已开始，不能再取消。"))
    if (
        for_self
        and signup.status == S.ACCEPTED
        and now > shift.starts_at - timedelta(hours=shift.cutoff_hours)
    ):
        raise Refused(
            _("已过取消截止时间：班次开始前%(h)d小时内不能取消，请联系队长。") % {"h": shift.cutoff_hours}
        )
    was_accepted = signup.status == S.ACCEPTED
    signup.status, signup.cancelled_at = S.CANCELLED, now
    _save(signup, by, reason.strip()[:REASON_MAX])
    SwapRequest.objects.filter(signup=signup, status=SwapRequest.Status.PENDING).update(
        status=SwapRequest.Status.REJECTED, reason=_("报名已取消。"), updated_at=now
    )
    if was_accepted:
        _set_count(shift, -1)
        shift_handoffs.tell_promoted(shift, _promote(shift, by))
    shift_handoffs.tell_cancelled(signup, by, reason.strip())
    return signup


# --- swaps ------------------------------------------------------------------------------------------------


def _taken_by(shift: Shift, volunteer: Volunteer) -> None:
    existing = Signup.objects.filter(shift=shift, volunteer=volunteer, status__in=selectors.LIVE).first()
    if existing is not None:
        raise Refused(
            _("%(name)s已报名本班次（%(status)s）。")
            % {"name": volunteer.user.display_name, "status": existing.get_status_display()}
        )


@transaction.atomic
def swap_request_create(
    *, by: User, signup: Signup, to_volunteer: Volunteer, reason: str = ""
) -> SwapRequest:
    """Volunteer A asks to hand their place to volunteer B; a leader decides. B must be able to see the
    shift and take the place: checked now, so A learns at once, and again when the leader decides."""
    signup = (
        Signup.objects.select_for_update(of=SELF)
        .select_related("shift__organization", "volunteer")
        .get(pk=signup.pk)
    )
    if by.pk != signup.volunteer.user_id:
        raise access.PermissionDenied(_("只能为自己的报名申请换班。"))
    if signup.status != S.ACCEPTED:
        raise Refused(_("只有已报名（非候补）的班次可以申请换班。"))
    shift = signup.shift
    if timezone.now() >= shift.starts_at:
        raise Refused(_("班次已开始，不能再换班。"))
    if to_volunteer.pk == signup.volunteer_id:
        raise ValidationError({"to_volunteer": _("不能和自己换班。")})
    if not selectors.shift_visible_to(user=to_volunteer.user, shift=shift):
        raise ValidationError({"to_volunteer": _("未找到该志愿者，或其不在本班次所属队伍。")})
    if selectors.pending_swap_of(signup=signup) is not None:
        raise Refused(_("该报名已有待审批的换班申请。"))
    _taken_by(shift, to_volunteer)
    name = to_volunteer.user.display_name
    _refuse(signup_refusals(shift=shift, volunteer=to_volunteer, for_self=False), who=name)
    swap = SwapRequest(signup=signup, to_volunteer=to_volunteer, reason=reason.strip()[:REASON_MAX])
    swap.save()
    return swap


@transaction.atomic
def swap_decide(*, by: User, swap: SwapRequest, approve: bool, reason: str = "") -> SwapRequest:
    """同意 moves the accepted place from A to B (A's sign-up is cancelled, B gets a new one); the number
    of people on the shift does not change."""
    shift = swap.signup.shift
    access.require(by, selectors.ASSIGN_PERM, shift.organization)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("不同意时请填写原因。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("说明不能超过%(n)d个字。") % {"n": REASON_MAX}})
    shift = _locked(shift)
    swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if swap.status != SwapRequest.Status.PENDING:
        raise Refused(_("该换班申请已处理（%(status)s）。") % {"status": swap.get_status_display()})
    if approve:
        signup = Signup.objects.select_for_update(of=SELF).select_related("volunteer").get(pk=swap.signup_id)
        if signup.status != S.ACCEPTED:
            raise Refused(_("原报名已取消，换班申请失效。"))
        to_volunteer = _lock_volunteer(swap.to_volunteer_id)
        _taken_by(shift, to_volunteer)
        refusals = signup_refusals(shift=shift, volunteer=to_volunteer, for_self=False)
        _refuse(refusals, who=to_volunteer.user.display_name)
        signup.status, signup.cancelled_at = S.CANCELLED, timezone.now()
        _save(signup, by, _("换班给%(number)s") % {"number": to_volunteer.number})
        taken = Signup(shift=shift, volunteer=to_volunteer, status=S.ACCEPTED, assigned_by=by)
        _save(taken, by, _("换班接替%(number)s") % {"number": signup.volunteer.number})
    swap.status = SwapRequest.Status.APPROVED if approve else SwapRequest.Status.REJECTED
    swap.decided_by, swap.reason = by, reason or swap.reason
    swap.save()
    shift_handoffs.tell_swap(swap, shift)
    return swap
