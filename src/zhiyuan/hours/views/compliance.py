"""The 5-hour week by unit (/app/hours/compliance/): the rate and who is short, week by week."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiyuan.core import access
from zhiyuan.core.http import AuthedHttpRequest
from zhiyuan.hours.services.compliance import monday, unit_compliance, unit_compliance_month
from zhiyuan.organizations.roles import Perm


@login_required
def compliance(request: AuthedHttpRequest) -> HttpResponse:
    choices = access.organizations(request.user, Perm.VOLUNTEER_VIEW).order_by("path")
    if not access.holds_any(request.user, [Perm.VOLUNTEER_VIEW]):
        return render(request, "403.html", {"message": _("您无权查看时长达标情况。")}, status=403)
    raw = request.GET.get("organization")
    organization = (
        access.get_or_404(access.organizations(request.user, Perm.ORG_VIEW), pk=raw)
        if raw
        else choices.first()
    )
    if organization is None:
        return render(request, "403.html", {"message": _("您无权查看时长达标情况。")}, status=403)
    try:
        week = monday(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        week = monday(timezone.localdate())
    try:
        result = unit_compliance(user=request.user, organization=organization, week=week)
        month = unit_compliance_month(
            user=request.user, organization=organization, year=week.year, month=week.month
        )
    except access.PermissionDenied as exc:
        return render(request, "403.html", {"message": str(exc)}, status=403)
    context = {
        "organization": organization,
        "choices": list(choices[:200]),
        "result": result,
        "month": month,
        "week": week,
        "previous": week - timedelta(weeks=1),
        "next": week + timedelta(weeks=1),
        "short": result.short[:200],
        "bars": [
            {
                "x": i * 100 + 20,
                "cx": i * 100 + 50,
                "h": w.percent,
                "y": 110 - w.percent,
                "percent": w.percent,
                "week": w.week,
            }
            for i, w in enumerate(month)
        ],
        "chart_width": max(1, len(month)) * 100,
    }
    return render(request, "hours/compliance.html", context)
