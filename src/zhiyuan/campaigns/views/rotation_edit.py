"""Rotation pages: lay it with a preview, swap two units' days, and a unit fills its day's row."""

from __future__ import annotations

from datetime import date
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
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.duties import duty_update
from zhiyuan.campaigns.services.rotation_edit import duties_swap, rotation_lay
from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.forms import PhoneInput, submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.roles import Perm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 4})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class LayForm(forms.Form):
    places = forms.CharField(label=gettext_lazy("轮流的地点（每行一个）"), widget=LINES, max_length=1000)
    units = forms.CharField(
        label=gettext_lazy("责任单位（每行一个，按轮值顺序）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
    start = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    end = forms.DateField(
        label=gettext_lazy("结束日期"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("留空为每个单位一天"),
    )
    skip_holidays = forms.BooleanField(
        label=gettext_lazy("跳过节假日（如春节假期）"), required=False, initial=True
    )
    skip_days = forms.CharField(
        label=gettext_lazy("另外跳过的日子（每行一个，如 2027-02-03）"),
        widget=LINES,
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_units(self) -> list[Any]:
        names = _lines(self.cleaned_data["units"])
        seen = access.organizations(self.user, Perm.ORG_VIEW).filter(name__in=names)
        by_name: dict[str, list[Any]] = {}
        for org in seen:
            by_name.setdefault(org.name, []).append(org)
        problems = [n for n in names if len(by_name.get(n, [])) != 1]
        if problems:
            raise ValidationError(_("找不到或有重名的单位：%(n)s。") % {"n": "、".join(problems)})
        return [by_name[n][0] for n in names]

    def clean_skip_days(self) -> list[date]:
        days = []
        for line in _lines(self.cleaned_data["skip_days"]):
            try:
                days.append(date.fromisoformat(line))
            except ValueError:
                raise ValidationError(_("“%(l)s”不是日期（如 2027-02-03）。") % {"l": line}) from None
        return days


@login_required
def rotation_lay_page(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if not access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer):
        return render(request, "403.html", {"message": _("您没有排班的权限。")}, status=403)
    form = LayForm(request.POST or None, user=request.user, initial={"start": campaign.starts_on})
    turns = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        write = "write" in request.POST
        try:
            turns = rotation_lay(
                by=request.user,
                campaign=campaign,
                organizations=data["units"],
                places=_lines(data["places"]),
                start=data["start"],
                end=data["end"],
                skip_days=data["skip_days"],
                skip_holidays=data["skip_holidays"],
                dry_run=not write,
            )
        except ValidationError as exc:
            for key, texts in field_errors(exc).items():
                for text in texts:
                    form.add_error(key if key in form.fields else None, text)
        else:
            if write:
                messages.success(request, _("已生成 %(n)d 天的集中服务安排。") % {"n": len(turns)})
                return redirect("campaigns:rotation", slug=campaign.slug)
    return render(
        request, "campaigns/rotation_lay.html", {"campaign": campaign, "form": form, "turns": turns}
    )


@login_required
@require_POST
def rotation_swap(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    duties = selectors.duty_list(user=request.user, campaign=campaign)
    first = access.get_or_404(duties, pk=request.POST.get("first"))
    second = access.get_or_404(duties, pk=request.POST.get("second"))
    try:
        duties_swap(by=request.user, campaign=campaign, first=first, second=second)
        messages.success(
            request, _("已交换 %(a)s 与 %(b)s 的责任单位。") % {"a": first.date, "b": second.date}
        )
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    except (ValidationError, Refused) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("campaigns:rotation", slug=campaign.slug)


class DutyForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("活动内容"), max_length=300, required=False, widget=LINES)
    contact_name = forms.CharField(label=gettext_lazy("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("联系方式"), max_length=30, required=False, widget=PhoneInput()
    )


@login_required
def duty_fill(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """附件5 的空白栏: the responsible unit writes its day's 活动内容 and 联系人及方式."""
    duty = selectors.duty_get(user=request.user, pk=pk)
    initial = {
        "content": duty.content,
        "contact_name": duty.contact_name,
        "contact_phone": duty.contact_phone,
    }
    form = DutyForm(request.POST or None, initial=initial)
    back = reverse("campaigns:rotation", args=[duty.campaign.slug])
    if request.method == "POST" and form.is_valid():
        try:
            saved = submit(form, duty_update, by=request.user, duty=duty, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(back)
    title = _("填写：%(d)s %(p)s %(o)s") % {
        "d": duty.date.isoformat(),
        "p": duty.place,
        "o": duty.responsible.name,
    }
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "back_url": back, "back_label": _("集中服务安排")},
    )
