"""Forms for 招募公告 pages. The notice form asks the service what is wrong while cleaning, so one submit
shows every problem at once: the fields' own (a date that is not a date) and the rules' (ends before it
starts, a deadline already past)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiyuan.core import access
from zhiyuan.core.models import User
from zhiyuan.organizations.forms import OrganizationChoice
from zhiyuan.organizations.models import LED_KINDS, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Recruitment, Skill
from zhiyuan.people.services.recruitment import EDITABLE_FIELDS, recruitment_problems

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _text(label: Any, rows: int = 3, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RecruitmentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    organization = OrganizationChoice(label=_("发布单位"), queryset=Organization.objects.none())
    team = OrganizationChoice(
        label=_("加入队伍"),
        queryset=Organization.objects.none(),
        help_text=_("录用的志愿者加入这支志愿服务队（支队、中队）"),
    )
    campaign = forms.CharField(label=_("所属活动"), max_length=120, required=False)
    programme = forms.CharField(label=_("所属项目"), max_length=120, required=False)
    content = _text(_("服务内容"), rows=4)
    recipients = forms.CharField(label=_("服务对象"), max_length=200, required=False)
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    time_slots = forms.CharField(
        label=_("服务时段"),
        max_length=200,
        required=False,
        help_text=_("例如：每天 8:00-12:00、14:00-18:00"),
    )
    location = forms.CharField(label=_("服务地点"), max_length=200)
    wanted = forms.IntegerField(
        label=_("招募人数"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    minimum_age = forms.IntegerField(label=_("最低年龄"), min_value=0, initial=0, help_text=_("0 表示不限"))
    requirements = _text(_("报名条件"), required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("所需技能"), queryset=Skill.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    risks = _text(_("可能发生的风险"), help_text=_("《志愿服务条例》第十二条：如实说明服务中可能发生的风险"))
    training_offered = _text(_("提供的培训"), rows=2, required=False)
    insurance = forms.CharField(
        label=_("意外保险"),
        max_length=200,
        help_text=_("《志愿服务条例》第十七条：可能危及人身安全的活动须购买人身意外伤害保险"),
    )
    hours_recorder = OrganizationChoice(
        label=_("服务记录及证明单位"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("谁组织谁记录，谁记录谁证明；不选即为发布单位"),
    )
    deadline = forms.DateTimeField(
        label=_("报名截止"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("北京时间"),
    )

    def __init__(self, *args: Any, user: User, recruitment: Recruitment | None = None, **kwargs: Any) -> None:
        if recruitment is not None:
            kwargs.setdefault("initial", self.initial_from(recruitment))
        super().__init__(*args, **kwargs)
        self.user, self.recruitment = user, recruitment
        manageable = access.organizations(user, Perm.RECRUITMENT_CHANGE)
        visible = access.organizations(user, Perm.ORG_VIEW)
        kept = (
            [recruitment.organization_id, recruitment.team_id, recruitment.hours_recorder_id]
            if recruitment
            else []
        )
        # a notice keeps the references it has even where the editor's own scope ends (the service checks
        # only what changes)
        keep = Organization.objects.filter(pk__in=kept)
        self.fields["organization"].queryset = (manageable | keep).order_by("path")  # type: ignore[attr-defined]
        self.fields["team"].queryset = (manageable | keep).filter(kind__in=LED_KINDS).order_by("path")  # type: ignore[attr-defined]
        self.fields["hours_recorder"].queryset = (visible | keep).order_by("path")  # type: ignore[attr-defined]
        self.fields["hours_recorder"].empty_label = _("发布单位")  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(r: Recruitment) -> dict[str, Any]:
        initial: dict[str, Any] = {f: getattr(r, f) for f in EDITABLE_FIELDS}
        initial["skills"] = list(r.skills.all())
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {f: data.get(f) for f in EDITABLE_FIELDS if f not in self.errors}
        values["hours_recorder"] = values.get("hours_recorder") or values.get("organization")
        r = Recruitment(created_by=self.user)
        changed = set(EDITABLE_FIELDS)
        if self.recruitment is not None:
            r = Recruitment.objects.get(pk=self.recruitment.pk)
            changed = {f for f, v in values.items() if getattr(r, f) != v}
        for field, value in values.items():
            setattr(r, field, value)
        problems = recruitment_problems(by=self.user, recruitment=r, changed=changed)
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, ValidationError(message))
        return data


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("报名说明"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可简要介绍相关经历、可服务时间（选填）"),
    )


class DecideForm(forms.Form):
    reason = forms.CharField(label=_("审核意见"), max_length=200, required=False)
    approve = forms.TypedChoiceField(
        choices=[("1", _("录用")), ("0", _("不录用"))], coerce=lambda v: v == "1", empty_value=None
    )
