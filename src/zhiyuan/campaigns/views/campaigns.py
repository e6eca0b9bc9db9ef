"""Campaign pages: the list, a campaign's standing, its rotation table (printable), 报备 and clone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.campaigns.exports import export_attachment
from zhiyuan.campaigns.models import DutyFiling
from zhiyuan.campaigns.selectors import campaigns as selectors
from zhiyuan.campaigns.services.clone import campaign_clone, clone_preview
from zhiyuan.campaigns.services.duties import duty_done, duty_file
from zhiyuan.core import access
from zhiyuan.core.errors import Refused
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm


class FilingForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=DutyFiling.Kind.choices)
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200, required=False)
    weather = forms.CharField(label=gettext_lazy("天气情况"), max_length=100, required=False)
    new_date = forms.DateField(
        label=gettext_lazy("顺延日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CloneForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("复制到年份"),
        min_value=2000,
        max_value=2099,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": gettext_lazy("请填写年份。"), "invalid": gettext_lazy("请填写年份。")},
    )


class RotationFilter(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("到"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=gettext_lazy("地点"), required=False)
    organization = forms.IntegerField(label=gettext_lazy("责任单位"), required=False)


@login_required
def campaign_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(user=request.user)[:100],
            "can_create": access.holds_any(request.user, [Perm.CAMPAIGN_CHANGE]),
        },
    )


@login_required
def campaign_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "standing": selectors.campaign_standing(campaign=campaign, today=today),
        "phases": list(campaign.phases.all()),
        "programmes": list(campaign.programmes.prefetch_related("items__responsible")),
        "stations": list(
            campaign.stations.select_related("responsible_office").prefetch_related("links__team")
        ),
        "can_manage": access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer),
        "today": today,
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def rotation(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    form = RotationFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    duties = list(
        selectors.duty_list(user=request.user, campaign=campaign, **{k: v for k, v in filters.items() if v})
    )
    places = sorted(set(campaign.duties.values_list("place", flat=True)))
    units = Organization.objects.filter(duties__campaign=campaign).distinct().order_by("name")
    context = {
        "campaign": campaign,
        "duties": duties,
        "form": form,
        "places": places,
        "units": list(units.values_list("pk", "name")),
        "chosen_unit": filters.get("organization"),
        "can_manage": access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/rotation.html", context)


@login_required
def duty_filing(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    duty = selectors.duty_get(user=request.user, pk=pk)
    form = FilingForm(request.POST or None)
    back = reverse("campaigns:rotation", args=[duty.campaign.slug])
    if request.method == "POST" and form.is_valid():
        try:
            filed = submit(form, duty_file, by=request.user, duty=duty, **form.cleaned_data)
        except access.PermissionDenied as exc:
            return render(request, "403.html", {"message": str(exc)}, status=403)
        except Refused as exc:
            form.add_error(None, str(exc))
            filed = None
        if filed is not None:
            messages.success(request, _("已报备。"))
            return redirect(back)
    title = _("报备：%(d)s %(p)s %(o)s") % {
        "d": duty.date.isoformat(),
        "p": duty.place,
        "o": duty.responsible.name,
    }
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "back_url": back, "back_label": _("集中服务安排")},
    )


@login_required
@require_POST
def duty_mark_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    duty = selectors.duty_get(user=request.user, pk=pk)
    try:
        duty_done(by=request.user, duty=duty, content=request.POST.get("content", ""))
        messages.success(request, _("已标记完成。"))
    except (Refused, access.PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect("campaigns:rotation", slug=duty.campaign.slug)


@login_required
def clone(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Pick a year, see every date the clone would have beside the source's, then confirm."""
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if not access.can(request.user, Perm.CAMPAIGN_CHANGE, campaign.organizer):
        return render(request, "403.html", {"message": _("您没有复制此活动的权限。")}, status=403)
    data = request.POST if request.method == "POST" else request.GET
    form = CloneForm(data if "year" in data else None, initial={"year": timezone.localdate().year + 1})
    preview = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            if request.method == "POST":
                copy = campaign_clone(by=request.user, source=campaign, year=year)
                messages.success(request, _("已复制为 %(t)s。") % {"t": copy.title})
                return redirect("campaigns:detail", slug=copy.slug)
            preview = clone_preview(source=campaign, year=year)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
    return render(request, "campaigns/clone.html", {"campaign": campaign, "form": form, "preview": preview})


@login_required
def attachment(request: AuthedHttpRequest, slug: str, number: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    # Attachment 4 holds the units' reports and is served by the reporting app under report.view.
    if number not in (1, 2, 3, 5):
        return render(request, "404.html", status=404)
    response = HttpResponse(
        export_attachment(campaign, number),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename={campaign.slug}-attachment-{number}.xlsx"
    return response
