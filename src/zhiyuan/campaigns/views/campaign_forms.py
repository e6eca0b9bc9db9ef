"""Creating and editing a campaign from the workspace: its facts and phases on one page, with history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.campaigns.models import Anchor, Campaign, Phase
from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.campaigns import PhaseSpec, campaign_create, campaign_update
from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.forms import OrganizationChoice
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    slug = forms.SlugField(
        label=gettext_lazy("代码"),
        max_length=50,
        help_text=gettext_lazy("小写字母、数字和连字符，如 chunyun-2027"),
    )
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    theme = forms.CharField(label=gettext_lazy("主题"), max_length=200, required=False)
    organizer = OrganizationChoice(label=gettext_lazy("主办单位"), queryset=Organization.objects.none())
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE)
    anchor = forms.ChoiceField(
        label=gettext_lazy("日期锚定"),
        choices=Anchor.choices,
        initial=Anchor.CALENDAR,
        help_text=gettext_lazy("复制到新的一年时：春运类活动随春节移动，其他活动保持同月同日"),
    )
    description = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizers = access.organizations(user, Perm.CAMPAIGN_CHANGE)
        if editing is not None:
            del self.fields["slug"]
            organizers = organizers | Organization.objects.filter(pk=editing.organizer_id)
        self.fields["organizer"].queryset = organizers.order_by("path")  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    # a blank first choice, so the empty extra row stays unchanged and is skipped
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=[("", "—"), *Phase.Kind.choices])
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE)


PhaseFormSet = forms.formset_factory(PhaseForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def _phases(formset: Any) -> list[PhaseSpec]:
    return [
        PhaseSpec(
            f.cleaned_data["kind"],
            f.cleaned_data["name"],
            f.cleaned_data["starts_on"],
            f.cleaned_data["ends_on"],
        )
        for f in formset.forms
        if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _show_errors(form: forms.Form, exc: ValidationError) -> None:
    for key, texts in field_errors(exc).items():
        target = key if key in form.fields else None
        for text in texts:
            form.add_error(target, text)  # phase problems name the phase, so they read well at the top


def _page(
    request: AuthedHttpRequest, form: forms.Form, formset: Any, campaign: Campaign | None
) -> HttpResponse:
    context = {
        "form": form,
        "formset": formset,
        "campaign": campaign,
        "changes": selectors.campaign_changes(campaign=campaign, limit=50) if campaign else [],
    }
    return render(request, "campaigns/campaign_form.html", context)


@login_required
def campaign_new(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.CAMPAIGN_CHANGE]):
        return render(request, "403.html", {"message": _("您没有新建活动的权限。")}, status=403)
    form = CampaignForm(request.POST or None, user=request.user)
    initial = [
        {"kind": Phase.Kind.PREPARE, "name": _("准备阶段")},
        {"kind": Phase.Kind.IMPLEMENT, "name": _("实施阶段")},
        {"kind": Phase.Kind.SUMMARY, "name": _("总结阶段")},
    ]
    formset = PhaseFormSet(request.POST or None, prefix="phases", initial=None if request.POST else initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        try:
            campaign = campaign_create(by=request.user, phases=_phases(formset), **data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        except ValidationError as exc:  # every problem at once, nothing saved
            _show_errors(form, exc)
        else:
            messages.success(request, _("已新建活动。"))
            return redirect("campaigns:detail", slug=campaign.slug)
    return _page(request, form, formset, None)


@login_required
def campaign_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if not access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer):
        return render(request, "403.html", {"message": _("您没有修改此活动的权限。")}, status=403)
    initial = {
        f: getattr(campaign, f)
        for f in ("title", "theme", "organizer", "starts_on", "ends_on", "anchor", "description")
    }
    form = CampaignForm(request.POST or None, user=request.user, editing=campaign, initial=initial)
    phases = [
        {"kind": p.kind, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on}
        for p in campaign.phases.all()
    ]
    formset = PhaseFormSet(request.POST or None, prefix="phases", initial=None if request.POST else phases)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            campaign_update(by=request.user, campaign=campaign, phases=_phases(formset), **form.cleaned_data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        except Refused as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("campaigns:detail", slug=campaign.slug)
    return _page(request, form, formset, campaign)
