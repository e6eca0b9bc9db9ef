"""A campaign's deadline rules (上报规则) on a page: the list, and one form for adding or changing a rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.selectors.campaigns import campaign_get
from zhiyuan.core import access
from zhiyuan.core.errors import field_errors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.forms import OrganizationChoice
from zhiyuan.organizations.models import Kind, Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.reporting.models import DeadlineKind, Form, RelativeTo, ReportRule
from zhiyuan.reporting.selectors.rules import campaign_rules
from zhiyuan.reporting.services.rules import rule_create, rule_update

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEKDAYS = list(
    enumerate(
        [
            gettext_lazy("周一"),
            gettext_lazy("周二"),
            gettext_lazy("周三"),
            gettext_lazy("周四"),
            gettext_lazy("周五"),
            gettext_lazy("周六"),
            gettext_lazy("周日"),
        ]
    )
)


class RuleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    form = forms.ChoiceField(label=gettext_lazy("表单"), choices=Form.choices)
    description = forms.CharField(
        label=gettext_lazy("要求"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos_required = forms.BooleanField(label=gettext_lazy("须附图片"), required=False)
    deadline_kind = forms.ChoiceField(label=gettext_lazy("截止方式"), choices=DeadlineKind.choices)
    due_at = forms.DateTimeField(
        label=gettext_lazy("截止时间（固定时间）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    relative_to = forms.ChoiceField(
        label=gettext_lazy("相对事件"), required=False, choices=[("", "—"), *RelativeTo.choices]
    )
    relative_hours = forms.IntegerField(
        label=gettext_lazy("事件后小时数"), required=False, min_value=0, max_value=1440
    )
    due_time = forms.TimeField(
        label=gettext_lazy("截止时刻（每天/每周，北京时间）"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("星期（每周）"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEKDAYS],
    )
    include_weekends = forms.BooleanField(
        label=gettext_lazy("周末和节假日也要报"), required=False, help_text=gettext_lazy("如文件写“每天”")
    )
    applies_to = OrganizationChoice(
        label=gettext_lazy("上报范围（该组织之下）"), queryset=Organization.objects.none(), required=False
    )
    include_root = forms.BooleanField(label=gettext_lazy("含该组织本身"), required=False)
    applies_to_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("哪些类型的下级要报"),
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    applies_to_depth = forms.IntegerField(
        label=gettext_lazy("下级层数"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=gettext_lazy("1 为直属下级；留空为全部下级"),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("另外指定的单位"), required=False, queryset=Organization.objects.none()
    )
    receiver = OrganizationChoice(
        label=gettext_lazy("报送给"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("活动主办单位"),
    )
    active_from = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=DATE)
    active_to = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seen = access.organizations(user, Perm.ORG_VIEW).order_by("path")
        for name in ("applies_to", "organizations", "receiver"):
            self.fields[name].queryset = seen  # type: ignore[attr-defined]
        self.fields["organizations"].widget.attrs["size"] = 6


def _initial(rule: ReportRule) -> dict[str, Any]:
    names = [f for f in RuleForm.base_fields if f != "organizations"]
    initial = {name: getattr(rule, name) for name in names}
    initial["organizations"] = list(rule.organizations.all())
    return initial


@login_required
def rule_list(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_get(user=request.user, slug=slug)
    rules = list(campaign_rules(campaign))
    context = {
        "campaign": campaign,
        "rules": rules,
        "can_manage": access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer),
        "weekdays": dict(WEEKDAYS),
    }
    return render(request, "reporting/rules/list.html", context)


@login_required
def rule_edit(request: AuthedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    campaign = campaign_get(user=request.user, slug=slug)
    if not access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer):
        return render(request, "403.html", {"message": _("您没有设置上报规则的权限。")}, status=403)
    rule = access.get_or_404(campaign_rules(campaign), pk=pk) if pk else None
    form = RuleForm(request.POST or None, user=request.user, initial=_initial(rule) if rule else None)
    back = reverse("reporting:rules", args=[campaign.slug])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organizations"] = list(data["organizations"])
        # not core.forms.submit: the rule has a field named `form`
        try:
            if rule is None:
                saved = rule_create(by=request.user, campaign=campaign, **data)
            else:
                saved = rule_update(by=request.user, rule=rule, **data)
        except ValidationError as exc:
            for key, texts in field_errors(exc).items():
                for text in texts:
                    form.add_error(key if key in form.fields else None, text)
        else:
            messages.success(request, _("已保存上报规则“%(t)s”。") % {"t": saved.title})
            return redirect(back)
    title = _("修改上报规则") if rule else _("新增上报规则")
    return render(
        request,
        "form.html",
        {"form": form, "title": f"{title} · {campaign.title}", "back_url": back, "back_label": _("上报规则")},
    )
