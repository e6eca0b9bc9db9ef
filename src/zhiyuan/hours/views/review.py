"""时长审核 (/app/hours/review/): for those who approve hours — overtime beyond the daily cap waiting for
their level, 补录 requests to decide, a 补录 request form, and 作废 of a fraudulent entry. The services in
daily_cap.py and fraud.py decide; these pages only ask."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhiyuan.core import access
from zhiyuan.core.errors import Refused, field_errors
from zhiyuan.core.http import AuthedHttpRequest, denied_is_403
from zhiyuan.hours.models import Backfill, HoursApproval, LedgerEntry
from zhiyuan.hours.services.daily_cap import approval_decide, approvals_for
from zhiyuan.hours.services.fraud import (
    APPROVE_PERM,
    REQUEST_PERM,
    backfill_decide,
    backfill_request,
    backfills_for,
    ledger_void,
)
from zhiyuan.organizations.models import Organization
from zhiyuan.people.selectors.volunteers import volunteer_get

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BackfillForm(forms.Form):
    volunteer_number = forms.CharField(label=gettext_lazy("志愿者编号"), max_length=20)
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=gettext_lazy("记录单位"), queryset=Organization.objects.none()
    )
    activity = forms.CharField(label=gettext_lazy("活动名称"), max_length=200)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=gettext_lazy("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=gettext_lazy("结束时间"), widget=DATETIME)
    reason = forms.CharField(label=gettext_lazy("补录原因"), max_length=200)
    evidence = forms.CharField(
        label=gettext_lazy("证明材料"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = access.organizations(user, REQUEST_PERM)  # type: ignore[attr-defined]


def _errors(request: AuthedHttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in (m for ms in field_errors(exc).values() for m in ms):
            messages.error(request, message)
    else:
        messages.error(request, str(exc))


@login_required
def review(request: AuthedHttpRequest) -> HttpResponse:
    if not access.holds_any(request.user, (APPROVE_PERM, REQUEST_PERM)):
        return redirect("hours:my_hours")
    size = settings.ZHIYUAN_PAGE_SIZE
    overtime = (
        approvals_for(user=request.user)
        .filter(status=HoursApproval.Status.PENDING)
        .select_related("volunteer__user", "organization", "approver")
        .order_by("starts_at", "pk")
    )
    backfills = (
        backfills_for(user=request.user)
        .filter(status=Backfill.Status.PENDING)
        .select_related("volunteer__user", "organization", "requested_by")
        .order_by("created_at", "pk")
    )
    context = {
        "overtime": Paginator(overtime, size).get_page(request.GET.get("page")),
        "backfills": Paginator(backfills, size).get_page(request.GET.get("bpage")),
        "form": BackfillForm(user=request.user),
    }
    return render(request, "hours/review/index.html", context)


@login_required
@require_POST
@denied_is_403
def overtime_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    approval = access.get_or_404(approvals_for(user=request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        approval_decide(
            by=request.user, approval=approval, approve=approve, reason=request.POST.get("note", "")
        )
    except (Refused, ValidationError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已批准，时长已计入。") if approve else _("已答复不予批准。"))
    return redirect("hours:review")


@login_required
@require_POST
@denied_is_403
def backfill_new(request: AuthedHttpRequest) -> HttpResponse:
    form = BackfillForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errs in form.errors.items():
            for message in errs:
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}{message}"
                )
        return redirect("hours:review")
    data = form.cleaned_data
    try:
        volunteer = volunteer_get(user=request.user, number=data.pop("volunteer_number"))
        backfill_request(by=request.user, volunteer=volunteer, **data)
    except (Refused, ValidationError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("补录申请已提交，须由本单位另一位负责人审批。"))
    return redirect("hours:review")


@login_required
@require_POST
@denied_is_403
def backfill_decide_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    backfill = access.get_or_404(backfills_for(user=request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        backfill_decide(
            by=request.user, backfill=backfill, approve=approve, note=request.POST.get("note", "")
        )
    except (Refused, ValidationError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已补录。") if approve else _("已答复不予补录。"))
    return redirect("hours:review")


@login_required
@require_POST
@denied_is_403
def void(request: AuthedHttpRequest) -> HttpResponse:
    """作废 by volunteer number and record number (序号, shown on the volunteer's record list)."""
    entries = LedgerEntry.objects.filter(access.scope(request.user, APPROVE_PERM, via="organization"))
    seq = request.POST.get("seq", "")
    entry = access.get_or_404(
        entries,
        volunteer__number=request.POST.get("volunteer_number", ""),
        seq=int(seq) if seq.isdigit() else 0,
    )
    try:
        ledger_void(by=request.user, entry=entry, reason=request.POST.get("reason", ""))
    except (Refused, ValidationError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已作废该记录（冲销记录已写入服务记录）。"))
    return redirect("hours:review")
