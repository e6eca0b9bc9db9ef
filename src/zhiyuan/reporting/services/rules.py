"""Writes for 上报规则 (issue 12 item 3): an officer sets a campaign's deadline rules from the workspace.

Every kind the deadline engine knows (services/deadlines.py): a fixed time, hours after each duty or after
the campaign, daily at a time, weekly on a weekday; which unit kinds below which organisation report, or
named units; to whom; whether weekends and holidays count. Every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.core import access, audit
from zhiyuan.core.models import User
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import DeadlineKind, ReportRule

EDITABLE_FIELDS = (
    "title",
    "form",
    "description",
    "photos_required",
    "applies_to",
    "include_root",
    "applies_to_kinds",
    "applies_to_depth",
    "receiver",
    "deadline_kind",
    "due_at",
    "relative_to",
    "relative_hours",
    "due_time",
    "weekday",
    "include_weekends",
    "active_from",
    "active_to",
)
# what a kind does not use is cleared, so a rule switched from weekly to daily keeps no stale weekday
_USES: dict[str, set[str]] = {
    DeadlineKind.ABSOLUTE: {"due_at"},
    DeadlineKind.RELATIVE: {"relative_to", "relative_hours"},
    DeadlineKind.DAILY: {"due_time"},
    DeadlineKind.WEEKLY: {"due_time", "weekday"},
    DeadlineKind.ANY_TIME: set(),
}
_CLEARED: dict[str, Any] = {
    "due_at": None,
    "relative_to": "",
    "relative_hours": None,
    "due_time": None,
    "weekday": None,
}


def _prepare(rule: ReportRule) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, empty in _CLEARED.items():
        if name not in _USES.get(rule.deadline_kind, set()):
            setattr(rule, name, empty)
    bad_kinds = [k for k in rule.applies_to_kinds if k not in Kind.values]
    if bad_kinds:
        errors["applies_to_kinds"] = [_("未知的组织类型：%(k)s。") % {"k": "、".join(map(str, bad_kinds))}]
    rule.applies_to_kinds = list(dict.fromkeys(rule.applies_to_kinds))
    if rule.applies_to_kinds and rule.applies_to_id is None:
        errors.setdefault("applies_to", []).append(_("选择了下级组织类型时，请选择上报范围的上级组织。"))
    if rule.relative_hours is not None and rule.relative_hours > 24 * 60:
        errors["relative_hours"] = [_("事件后小时数不能超过1440（60天）。")]
    if rule.applies_to_depth is not None and not 1 <= rule.applies_to_depth <= 10:
        errors["applies_to_depth"] = [_("下级层数须在1到10之间。")]
    try:
        rule.full_clean(exclude=["campaign"], validate_unique=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    return errors


def _check_scope(by: User, rule: ReportRule, organizations: Sequence[Organization] | None) -> None:
    """Organisations named by id must be ones the officer sees (a body id is scoped like a URL id)."""
    named = [o for o in (rule.applies_to, rule.receiver) if o is not None] + list(organizations or ())
    seen = set(
        access.organizations(by, Perm.ORG_VIEW)
        .filter(pk__in=[o.pk for o in named])
        .values_list("pk", flat=True)
    )
    missing = sorted({o.pk for o in named} - seen)
    if missing:
        raise ValidationError(
            {"organizations": _("未找到单位：%(ids)s。") % {"ids": "、".join(map(str, missing))}}
        )


def _save(by: User, rule: ReportRule, organizations: Sequence[Organization] | None) -> ReportRule:
    errors = _prepare(rule)
    if errors:
        raise ValidationError(errors)
    _check_scope(by, rule, organizations)
    if ReportRule.objects.filter(campaign=rule.campaign, title=rule.title).exclude(pk=rule.pk).exists():
        raise ValidationError({"title": _("本活动已有名为“%(t)s”的上报规则。") % {"t": rule.title}})
    audit.attribute(rule, by)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # a racing save took the title between the check and the insert
        raise ValidationError({"title": _("本活动已有名为“%(t)s”的上报规则。") % {"t": rule.title}}) from None
    if organizations is not None:
        rule.organizations.set(organizations)
    return rule


@transaction.atomic
def rule_create(
    *, by: User, campaign: Campaign, organizations: Sequence[Organization] = (), **fields: Any
) -> ReportRule:
    access.require(by, Perm.CAMPAIGN_CHANGE, campaign.organizer)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({k: _("此项不能设置。") for k in sorted(unknown)})
    rule = ReportRule(campaign=campaign, **fields)
    return _save(by, rule, organizations)


@transaction.atomic
def rule_update(
    *, by: User, rule: ReportRule, organizations: Sequence[Organization] | None = None, **changes: Any
) -> ReportRule:
    rule = (
        ReportRule.objects.select_for_update(of=("self",))
        .select_related("campaign__organizer")
        .get(pk=rule.pk)
    )
    if rule.campaign is None:
        raise ValidationError({"campaign": _("不属于活动的规则请在后台维护。")})
    access.require(by, Perm.CAMPAIGN_CHANGE, rule.campaign.organizer)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({k: _("此项不能修改。") for k in sorted(unknown)})
    for key, value in changes.items():
        setattr(rule, key, value)
    return _save(by, rule, organizations)
