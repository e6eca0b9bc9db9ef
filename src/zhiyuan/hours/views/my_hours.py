"""My hours (/app/me/hours/): this week against the quota, stars, recent records and self-reports; and the
leaders' queue of self-reports (/app/hours/reports/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.core import access, images
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.forms import submit
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.models import HoursApproval, LedgerEntry, SelfReport
from zhiyuan.hours.services.compliance import my_week
from zhiyuan.hours.services.fraud import hours_split
from zhiyuan.hours.services.self_reports import (
    my_reports,
    report_teams,
    self_report_create,
    self_report_decide,
    self_report_queue,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.organizations.roles import Perm
from zhiyuan.people.models import Volunteer

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SelfReportForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=gettext_lazy("队伍"), queryset=Organization.objects.none()
    )
    activity = forms.CharField(label=gettext_lazy("活动名称"), max_length=200)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("服务内容"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=gettext_lazy("结束时间"), widget=DATETIME)
    photo = forms.FileField(label=gettext_lazy("照片"), required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = teams  # type: ignore[attr-defined]


@login_required
def my_hours(request: AuthedHttpRequest) -> HttpResponse:
    volunteer = Volunteer.objects.filter(user=request.user).select_related("home_organization").first()
    if volunteer is None:
        return render(request, "people/me_none.html")
    teams = report_teams(volunteer)
    form = SelfReportForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        done = submit(form, self_report_create, by=request.user, volunteer=volunteer, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("已提交申报，等待队伍审核。"))
            return redirect("hours:my_hours")
    context = {
        "v": volunteer,
        "week": my_week(volunteer),
        "entries": list(
            LedgerEntry.objects.filter(volunteer=volunteer)
            .select_related("organization")
            .order_by("-seq")[:10]
        ),
        "reports": list(my_reports(volunteer)[:20]),
        "form": form,
        "has_teams": teams.exists(),
        "split": hours_split(volunteer),
        "waiting": volunteer.hours_approvals.filter(status=HoursApproval.Status.PENDING).aggregate(
            t=Sum("hours")
        )["t"],
    }
    return render(request, "hours/my_hours.html", context)


@login_required
def report_queue(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, [Perm.HOURS_APPROVE]):
        return render(request, "403.html", {"message": _("您无权审核自主申报。")}, status=403)
    status = request.GET.get("status", SelfReport.Status.PENDING)
    if status not in SelfReport.Status.values:
        status = SelfReport.Status.PENDING
    page = Paginator(
        self_report_queue(user=request.user, status=status), settings.ZHIYUAN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": SelfReport.Status.choices}
    return render(request, "hours/report_queue.html", context)


@login_required
@require_POST
def report_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_or_404(
        SelfReport.objects.filter(access.scope(request.user, Perm.HOURS_VIEW, via="organization")), pk=pk
    )
    approve = request.POST.get("decision") == "approve"
    try:
        self_report_decide(
            by=request.user, report=report, approve=approve, reason=request.POST.get("reason", "")
        )
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    except ValidationError as exc:
        for message in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, message)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已认定。") if approve else _("已退回。"))
    return redirect("hours:report_queue")


@login_required
def report_photo(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """The report's photo, for the volunteer themself or those who may see the report."""
    visible = SelfReport.objects.filter(
        Q(volunteer__user=request.user) | access.scope(request.user, Perm.HOURS_VIEW, via="organization")
    )
    report = access.get_or_404(visible, pk=pk)
    return images.serve(report.photo, thumb=request.GET.get("thumb") == "1")
