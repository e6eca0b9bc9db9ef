"""招募公告: an organisation publishes a notice, volunteers apply, the team's leader decides.

Who may do what:
- the publishing organisation (`Recruitment.organization`) writes the notice: Perm.RECRUITMENT_CHANGE there;
- the team the volunteers join (`Recruitment.team`) decides on applications: Perm.RECRUITMENT_CHANGE there,
  because an approval makes the volunteer a member of that team;
- a volunteer applies and withdraws only for themself.

A notice is open while it is published, before its deadline and not full (`Recruitment.is_open`), so it
closes at the deadline or when the last place is taken without a job having to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import access, audit
from zhiyuan.core.errors import Refused
from zhiyuan.core.models import User
from zhiyuan.organizations.models import LED_KINDS, Membership, Organization
from zhiyuan.organizations.roles import Perm, Role
from zhiyuan.people.models import Application, Recruitment, Skill, Volunteer

Errors = dict[str, list[str]]

EDITABLE_FIELDS = (
    "organization",
    "team",
    "title",
    "campaign",
    "programme",
    "content",
    "recipients",
    "starts_on",
    "ends_on",
    "time_slots",
    "location",
    "wanted",
    "requirements",
    "minimum_age",
    "risks",
    "training_offered",
    "insurance",
    "hours_recorder",
    "deadline",
)
NOT_TEXT = {
    "organization",
    "team",
    "hours_recorder",
    "starts_on",
    "ends_on",
    "wanted",
    "minimum_age",
    "deadline",
}
TEXT_FIELDS = tuple(f for f in EDITABLE_FIELDS if f not in NOT_TEXT)
REQUIRED_TEXT = {
    "title": gettext_lazy("请填写标题。"),
    "content": gettext_lazy("请填写服务内容。"),
    "location": gettext_lazy("请填写服务地点。"),
    # 条例 Art. 12: the organiser states the risks the volunteer may meet before they sign up
    "risks": gettext_lazy("请如实说明服务中可能发生的风险（《志愿服务条例》第十二条）。"),
    # 条例 Art. 17: accident insurance for activities that may endanger personal safety
    "insurance": gettext_lazy("请说明意外保险安排（《志愿服务条例》第十七条）；不需要购买时请说明理由。"),
}
EDITABLE_STATUSES = {Recruitment.Status.DRAFT, Recruitment.Status.PUBLISHED}
REASON_MAX = 200


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_organizations(by: User, r: Recruitment, errors: Errors, changed: set[str]) -> None:
    if not r.organization_id:
        _add(errors, "organization", _("请选择发布单位。"))
    elif "organization" in changed and not access.can(by, Perm.RECRUITMENT_CHANGE, r.organization):
        _add(errors, "organization", _("所选组织不存在或您无权以其名义发布招募。"))
    if not r.team_id:
        _add(errors, "team", _("请选择录用后加入的队伍。"))
    elif "team" in changed:
        if not access.can(by, Perm.ORG_VIEW, r.team):
            _add(errors, "team", _("所选队伍不存在。"))
        elif r.team.kind not in LED_KINDS:
            _add(errors, "team", _("请选择志愿服务支队、中队或服务队。"))
        elif not access.can(by, Perm.RECRUITMENT_CHANGE, r.team):
            _add(errors, "team", _("您无权为该队伍招募志愿者。"))
        elif r.pk and r.approved_count:
            _add(errors, "team", _("已有录用人员，不能更换加入的队伍。"))
    if not r.hours_recorder_id:
        _add(errors, "hours_recorder", _("请选择负责记录和证明服务时长的单位。"))
    elif "hours_recorder" in changed and not access.can(by, Perm.ORG_VIEW, r.hours_recorder):
        _add(errors, "hours_recorder", _("所选单位不存在。"))


def _check_numbers_and_dates(r: Recruitment, errors: Errors, changed: set[str], publishing: bool) -> None:
    if r.wanted is None or r.wanted < 1:
        _add(errors, "wanted", _("招募人数至少为1人。"))
    elif r.wanted < r.approved_count:
        _add(
            errors,
            "wanted",
            _("已录用%(n)d人，招募人数不能少于已录用人数。") % {"n": r.approved_count},
        )
    if r.minimum_age is not None and not 0 <= r.minimum_age <= 100:
        _add(errors, "minimum_age", _("最低年龄应在0到100周岁之间。"))
    if not r.starts_on:
        _add(errors, "starts_on", _("请填写开始日期。"))
    if not r.ends_on:
        _add(errors, "ends_on", _("请填写结束日期。"))
    elif r.starts_on and r.ends_on < r.starts_on:
        _add(errors, "ends_on", _("结束日期不能早于开始日期。"))
    if not r.deadline:
        _add(errors, "deadline", _("请填写报名截止时间。"))
        return
    live = publishing or (r.status == Recruitment.Status.PUBLISHED and "deadline" in changed)
    if live and r.deadline <= timezone.now():
        _add(errors, "deadline", _("报名截止时间须晚于当前时间。"))
    # deadlines are Beijing wall-clock times; compare the Beijing date with the last day of service
    if r.ends_on and timezone.localtime(r.deadline).date() > r.ends_on:
        _add(errors, "deadline", _("报名截止时间不能晚于服务结束日期。"))


def recruitment_problems(
    *, by: User, recruitment: Recruitment, changed: Iterable[str] = EDITABLE_FIELDS, publishing: bool = False
) -> Errors:
    """Everything wrong with an (unsaved) notice, per field, in Chinese. Writes nothing.

    `changed` names the fields being set: a reference kept as it is is not checked against the user's
    scope again (an officer may edit a notice whose 时长 recorder they cannot manage).
    Forms call this from `clean()` so that a page shows every problem at once.
    """
    r, fields = recruitment, set(changed)
    errors: Errors = {}
    for field in TEXT_FIELDS:
        setattr(r, field, (getattr(r, field) or "").strip())
    for field, message in REQUIRED_TEXT.items():
        if not getattr(r, field):
            _add(errors, field, str(message))
    _check_organizations(by, r, errors, fields)
    _check_numbers_and_dates(r, errors, fields, publishing)
    try:
        # lengths, choices and the like; the rules above give better messages for what they cover
        r.full_clean(exclude=[*errors, "created_by", "skills"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    return errors


def _check(
    by: User, r: Recruitment, changed: Iterable[str] = EDITABLE_FIELDS, publishing: bool = False
) -> None:
    errors = recruitment_problems(by=by, recruitment=r, changed=changed, publishing=publishing)
    if errors:
        raise ValidationError(errors)


def _locked(recruitment: Recruitment) -> Recruitment:
    return (
        Recruitment.objects.select_for_update().select_related("organization", "team").get(pk=recruitment.pk)
    )


def _require_status(r: Recruitment, allowed: set[Any], message: str) -> None:
    if r.status not in allowed:
        raise Refused(message % {"title": r.title, "status": r.get_status_display()})


def _refuse_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("不能修改此字段。") for field in sorted(unknown)})


def _save(r: Recruitment, by: User, reason: str = "") -> Recruitment:
    audit.attribute(r, by, reason)
    r.save()
    return r


@transaction.atomic
def recruitment_create(
    *,
    by: User,
    team: Organization | None,
    title: str,
    content: str,
    starts_on: date,
    ends_on: date,
    location: str,
    wanted: int,
    risks: str,
    insurance: str,
    deadline: datetime,
    organization: Organization | None = None,
    hours_recorder: Organization | None = None,
    skills: Iterable[Skill] = (),
    **optional: Any,
) -> Recruitment:
    """A draft notice. The publisher defaults to the team; the hours are recorded and certified by the
    publisher unless another organisation is named (谁组织谁记录，谁记录谁证明)."""
    # A reference defaulted from another is checked through that one, and reported there only.
    changed = set(EDITABLE_FIELDS)
    if organization is None:
        organization = team
        changed.discard("organization")
    elif access.can(by, Perm.ORG_VIEW, organization):
        access.require(
            by, Perm.RECRUITMENT_CHANGE, organization
        )  # visible but not theirs to recruit for: 403
    if hours_recorder is None:
        hours_recorder = organization
        changed.discard("hours_recorder")
    _refuse_unknown(optional)
    r = Recruitment(
        organization=organization,
        team=team,
        title=title,
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        location=location,
        wanted=wanted,
        risks=risks,
        insurance=insurance,
        deadline=deadline,
        hours_recorder=hours_recorder,
        created_by=by,
        status=Recruitment.Status.DRAFT,
        **optional,
    )
    _check(by, r, changed=changed)
    _save(r, by)
    r.skills.set(skills)
    return r


@transaction.atomic
def recruitment_update(
    *, by: User, recruitment: Recruitment, skills: Iterable[Skill] | None = None, **changes: Any
) -> Recruitment:
    """Change a draft or a published notice. Closed and cancelled notices are the record of what was said."""
    access.require(by, Perm.RECRUITMENT_CHANGE, recruitment.organization)
    r = _locked(recruitment)
    _require_status(r, EDITABLE_STATUSES, _("“%(title)s”%(status)s，不能再修改。"))
    _refuse_unknown(changes)
    changed = {f for f, value in changes.items() if getattr(r, f) != value}
    for field, value in changes.items():
        setattr(r, field, value)
    _check(by, r, changed=changed)
    _save(r, by)
    if skills is not None:
        r.skills.set(skills)
    return r


@transaction.atomic
def recruitment_publish(*, by: User, recruitment: Recruitment) -> Recruitment:
    access.require(by, Perm.RECRUITMENT_CHANGE, recruitment.organization)
    r = _locked(recruitment)
    _require_status(r, {Recruitment.Status.DRAFT}, _("只有草稿可以发布，“%(title)s”%(status)s。"))
    _check(by, r, changed=(), publishing=True)
    r.status = Recruitment.Status.PUBLISHED
    r.published_at = timezone.now()
    return _save(r, by)


@transaction.atomic
def recruitment_close(*, by: User, recruitment: Recruitment) -> Recruitment:
    """Stop taking applications before the deadline. Pending applications can still be decided."""
    access.require(by, Perm.RECRUITMENT_CHANGE, recruitment.organization)
    r = _locked(recruitment)
    _require_status(r, {Recruitment.Status.PUBLISHED}, _("只有招募中的公告可以结束，“%(title)s”%(status)s。"))
    r.status = Recruitment.Status.CLOSED
    return _save(r, by)


@transaction.atomic
def recruitment_cancel(*, by: User, recruitment: Recruitment, reason: str = "") -> Recruitment:
    """Call the recruitment off; whoever is still waiting is told so on their application."""
    access.require(by, Perm.RECRUITMENT_CHANGE, recruitment.organization)
    r = _locked(recruitment)
    _require_status(r, EDITABLE_STATUSES, _("“%(title)s”%(status)s，不能取消。"))
    r.status = Recruitment.Status.CANCELLED
    _save(r, by, reason=reason.strip()[:100])
    now = timezone.now()
    for application in Application.objects.select_for_update().filter(
        recruitment=r, status=Application.Status.PENDING
    ):
        application.status = Application.Status.REJECTED
        application.reason = _("招募已取消。")
        application.decided_by, application.decided_at = by, now
        audit.attribute(application, by)
        application.save()
    return r


def _refuse_unless_open(r: Recruitment) -> None:
    if r.is_open:
        return
    if r.status != Recruitment.Status.PUBLISHED:
        raise Refused(_("“%(title)s”不在招募中。") % {"title": r.title})
    if r.is_full:
        raise Refused(_("“%(title)s”招募人数已满。") % {"title": r.title})
    raise Refused(_("“%(title)s”报名已截止。") % {"title": r.title})


@transaction.atomic
def application_create(
    *, by: User, recruitment: Recruitment, volunteer: Volunteer, motivation: str = ""
) -> Application:
    """A volunteer applies for themself. Applying again after withdrawing reopens the same application."""
    if by.pk != volunteer.user_id:
        raise access.PermissionDenied(_("只能为自己报名。"))
    if volunteer.status == Volunteer.Status.ANONYMISED:
        raise Refused(_("该志愿者资料已匿名化，不能报名。"))
    r = Recruitment.objects.get(pk=recruitment.pk)  # fresh: the deadline or the last place may have passed
    _refuse_unless_open(r)
    if volunteer.age < r.minimum_age:
        raise Refused(_("本招募要求年满%(age)d周岁。") % {"age": r.minimum_age})
    motivation = motivation.strip()
    existing = Application.objects.select_for_update().filter(recruitment=r, volunteer=volunteer).first()
    if existing is not None:
        if existing.status != Application.Status.WITHDRAWN:
            raise Refused(_("您已报名该招募（%(status)s）。") % {"status": existing.get_status_display()})
        existing.status = Application.Status.PENDING
        existing.motivation = motivation
        existing.reason, existing.decided_by, existing.decided_at = "", None, None
        audit.attribute(existing, by, _("重新报名"))
        existing.save()
        return existing
    application = Application(recruitment=r, volunteer=volunteer, motivation=motivation)
    audit.attribute(application, by)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a double tap that raced past the check: the unique constraint decides
        raise Refused(_("您已报名该招募。")) from None
    return application


@transaction.atomic
def application_withdraw(*, by: User, application: Application) -> Application:
    if by.pk != application.volunteer.user_id:
        raise access.PermissionDenied(_("只能撤回自己的报名。"))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise Refused(_("只能撤回待审核的报名。"))
    application.status = Application.Status.WITHDRAWN
    audit.attribute(application, by)
    application.save()
    return application


def _join_team(*, by: User, user: User, team: Organization) -> None:
    if Membership.objects.filter(user=user, organization=team, role=Role.VOLUNTEER).exists():
        return
    membership = Membership(user=user, organization=team, role=Role.VOLUNTEER)
    audit.attribute(membership, by, _("招募录用"))
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # joined the team through another notice at the same moment
        return
    access.forget(user)


@transaction.atomic
def application_decide(*, by: User, application: Application, approve: bool, reason: str = "") -> Application:
    """录用 or 不录用. Approving takes a place and makes the volunteer a member of the team."""
    access.require(by, Perm.RECRUITMENT_CHANGE, application.recruitment.team)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("不录用时请填写原因。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("审核意见不能超过%(n)d个字。") % {"n": REASON_MAX}})
    # Lock in a fixed order, the notice then the application: two leaders approving the last place at the
    # same moment queue on the notice, and the second sees it full.
    r = Recruitment.objects.select_for_update().get(pk=application.recruitment_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise Refused(_("该报名已处理（%(status)s）。") % {"status": application.get_status_display()})
    _require_status(
        r,
        {Recruitment.Status.PUBLISHED, Recruitment.Status.CLOSED},
        _("“%(title)s”%(status)s，不能审核报名。"),
    )
    if approve:
        if r.is_full:
            raise Refused(
                _("“%(title)s”已录用%(n)d人，招募人数已满，不能再录用。")
                % {"title": r.title, "n": r.approved_count}
            )
        volunteer = Volunteer.objects.select_related("user").get(pk=application.volunteer_id)
        if volunteer.status == Volunteer.Status.ANONYMISED:
            raise Refused(_("该志愿者资料已匿名化，不能录用。"))
        r.approved_count += 1
        audit.attribute(r, by)
        r.save(update_fields=["approved_count", "updated_at"])
        _join_team(by=by, user=volunteer.user, team=r.team)
    application.status = Application.Status.APPROVED if approve else Application.Status.REJECTED
    application.reason = reason
    application.decided_by, application.decided_at = by, timezone.now()
    audit.attribute(application, by, reason)
    application.save()
    from zhiyuan.notifications.handoffs import handoff_notify

    handoff_notify(
        event="application.decided",
        recipients=[Volunteer.objects.select_related("user").get(pk=application.volunteer_id).user],
        context={
            "recruitment": r.title,
            "decision": _("已录用，欢迎加入“%(team)s”") % {"team": r.team.name} if approve else _("未被录用"),
            "note": _("说明：%(r)s") % {"r": reason} if reason else "",
        },
    )
    return application
